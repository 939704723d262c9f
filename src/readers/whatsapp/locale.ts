// What WhatsApp writes in each UI language: day-half markers, media placeholders, attachment
// words, deleted/edited notices, export file names, and words that classify system lines.
// Facts gathered from public exports and from the marker lists of other parsers; lower-cased
// where matched case-insensitively. Keep this file data only: the matching lives elsewhere.
import type { MediaKind } from '../../model.js';

/** Day-half markers, normalized (lower case, spaces and dots kept as written but NBSPs as spaces). */
export const AM_MARKERS = ['am', 'a.m.', 'a. m.', 'a.m', 'vorm.', 'vorm', 'ص', 'ق.ظ', 'π.μ.', 'πμ', '오전', '午前', '上午', 'de.'];
export const PM_MARKERS = ['pm', 'p.m.', 'p. m.', 'p.m', 'nachm.', 'nachm', 'م', 'ب.ظ', 'μ.μ.', 'μμ', '오후', '午後', '下午', 'du.'];

/** Android `<Media omitted>` in about 60 UI languages (compared lower-cased, inner spaces trimmed). */
export const MEDIA_OMITTED = [
  '<media omitted>',
  '<media weggelaat>', // af
  '<تم استبعاد الوسائط>', // ar
  '<media buraxıldı>',
  '<media çıxarılmışdır>', // az
  '<без файл>', // bg
  '<মিডিয়া বাদ দেওয়া হয়েছে>', // bn
  '<fitxers multimèdia omesos>',
  '<mitjans omesos>', // ca
  '<média vynechány>',
  '<média vynechána>', // cs
  '<medier udeladt>',
  '<mediefil udeladt>', // da
  '<medien ausgeschlossen>',
  '<medien weggelassen>', // de
  '<αρχείο παραλήφθηκε>',
  '<εξαίρεση πολυμέσων>', // el
  '<multimedia omitido>',
  '<archivo omitido>', // es
  '<meedia välja jäetud>',
  '<meedia ära jäetud>', // et
  '<رسانه حذف شد>',
  '<پيوست نما/آهنگ حذف شد>', // fa
  '<media jätettiin pois>',
  '<media jätetty pois>', // fi
  '<médias omis>',
  '<fichier omis>', // fr
  '<મિડિયા છોડી મૂકાયું>',
  '<મીડિયા અવગણવામાં આવ્યા>', // gu
  '<मीडिया के बिना>', // hi
  '<medijski zapis izostavljen>', // hr
  '<média elhagyva>',
  '<hiányzó médiafájl>', // hu
  '<media tidak disertakan>', // id
  '<media omessi>',
  '<media omesso>', // it
  '<המדיה לא נכללה>',
  '<מדיה הושמטה>', // he
  '<メディアなし>',
  '<メディアは含まれていません>', // ja
  '<файлдар қосылмаған>',
  '<файл қосылған жоқ>', // kk
  '<ಮಾಧ್ಯಮ ಕೈಬಿಡಲಾಗಿದೆ>', // kn
  '<미디어 파일 제외됨>',
  '<미디어 파일을 생략한 대화내용>', // ko
  '<ບໍ່ລວມມີເດຍ>', // lo
  '<medija praleista>',
  '<praleistas medijos turinys>', // lt
  '<nav iekļauta multivide>',
  '<bez multivides>', // lv
  '<без фајлови>',
  '<без фајл>', // mk
  '<മീഡിയ ഒഴിവാക്കി>', // ml
  '<मीडिया वगळण्यात आला>',
  '<मीडिया वगळले>', // mr
  '<media dikecualikan>',
  '<media disingkirkan>', // ms
  '<media utelatt>',
  '<uten vedlegg>', // nb
  '<media weggelaten>', // nl
  '<ਮੀਡੀਆ ਛੱਡਿਆ>',
  '<ਮੀਡੀਆ ਛਡਿਆ ਗਿਆ>', // pa
  '<pominięto multimedia>',
  '<pliki pominięto>', // pl
  '<ficheiro não revelado>',
  '<mídia omitida>', // pt
  '<conținut media omis>', // ro
  '<без медиафайлов>',
  '<файл пропущен>', // ru
  '<médiá vynechané>', // sk
  '<datoteke izpuščene>',
  '<medij izpuščen>', // sl
  '<media u hoq>',
  '<media hequr>', // sq
  '<медији су изостављени>', // sr
  '<media utelämnat>',
  '<media har utelämnats>', // sv
  '<media hazijajumuishwa>',
  '<media imerukwa>', // sw
  '<கோப்புகள் விடப்பட்டன>',
  '<ஊடகங்கள் நீக்கப்பட்டது>', // ta
  '<మీడియా విస్మరించబడింది>',
  '<మాధ్యమం విస్మరించబడింది>', // te
  '<ไฟล์สื่อถูกลบ>',
  '<สื่อถูกลบ>', // th
  '<walang kalakip na media>', // tl
  '<medya dahil edilmedi>',
  '<medya atlanmış>', // tr
  '<медіа пропущено>', // uk
  '<میڈیا چھوڑ دیا گیا>',
  '<میڈیا ہٹا دیا گیا>', // ur
  '<fayl o‘tkazib yuborildi>', // uz
  '<bỏ qua tệp phương tiện>',
  '<bỏ qua media>', // vi
  '<忽略多媒體檔>',
  '<省略多媒体文件>', // zh
];

/** iOS "image omitted" and friends (no brackets), per media kind. */
export const IOS_OMITTED: ReadonlyArray<readonly [MediaKind, readonly string[]]> = [
  [
    'photo',
    [
      'image omitted',
      'изображение отсутствует',
      'image absente',
      'immagine omessa',
      'imagem não revelada',
      'bild weggelassen',
      'зображення відсутнє',
      'obrázek vynechán',
      'imagen omitida',
      'لم يتم إدراج الصورة',
    ],
  ],
  [
    'video',
    [
      'video omitted',
      'видео отсутствует',
      'vidéo absente',
      'video omesso',
      'vídeo não revelado',
      'video weggelassen',
      'відео відсутнє',
      'video vynecháno',
      'video omitido',
      'لم يتم إدراج الفيديوهات',
    ],
  ],
  [
    'audio',
    [
      'audio omitted',
      'аудио отсутствует',
      'аудиофайл отсутствует',
      'audio omis',
      'audio omesso',
      'ficheiro de áudio não revelado',
      'audio omitido',
      'audio weggelassen',
      'аудіо відсутнє',
      'لم يتم إدراج المقاطع الصوتية',
    ],
  ],
  [
    'sticker',
    [
      'sticker omitted',
      'стикер не добавлен',
      'sticker omis',
      'sticker non incluso',
      'sticker não revelado',
      'sticker weggelassen',
      'наклейку не додано',
      'nálepka vynechána',
      'sticker omitido',
      'تم حذف الملصقات',
    ],
  ],
  [
    'animation',
    [
      'gif omitted',
      'gif отсутствует',
      'gif retiré',
      'gif esclusa',
      'gif omitido',
      'gif não revelada',
      'gif weggelassen',
      'gif-анімацію пропущено',
      'gif vynechán',
      'لم يتم إدراج صورة gif',
    ],
  ],
  [
    'document',
    [
      'document omitted',
      'документ отсутствует',
      'document manquant',
      'documento omesso',
      'documento não revelado',
      'dokument weggelassen',
      'документ пропущено',
      'dokument vynechán',
      'documento omitido',
      'لم يتم إدراج المستند',
    ],
  ],
  [
    'contact-card',
    [
      'contact card omitted',
      'карточка контакта отсутствует',
      'fiche contact manquante',
      'scheda contatto omessa',
      'contacto não revelado',
      'tarjeta de contacto omitida',
      'kontaktkarte ausgelassen',
      'kontaktkarte weggelassen',
      'картка контакту відсутня',
      'vizitka vynechána',
      'لم يتم إدراج بطاقة جهة اتصال',
    ],
  ],
];

/** The word in iOS `<attached: NAME>` (lower case). */
export const IOS_ATTACHED_WORDS = [
  'attached',
  'anhang',
  'angehängt',
  'adjunto',
  'прикреплено',
  'прикреплён файл',
  'anexado',
  'anexo',
  'joint',
  'pièce jointe',
  'allegato',
  'bijgevoegd',
  'bijlage',
  'załącznik',
  'ekli',
  'прикріплено',
];

/** The words in Android `NAME (file attached)` (lower case). */
export const ANDROID_ATTACHED_WORDS = [
  'file attached',
  'datei angehängt',
  'файл добавлен',
  'файл прикреплен',
  'файл прикреплён',
  'archivo adjunto',
  'arquivo anexado',
  'ficheiro anexado',
  'fichier joint',
  'file allegato',
  'bestand bijgevoegd',
  'dosya ekli',
  'файл додано',
  'załączono plik',
  'file terlampir',
];

/** "This message was deleted" and, separately, the owner's own "You deleted this message". */
export const DELETED_BY_OTHER = [
  'this message was deleted',
  'diese nachricht wurde gelöscht',
  'данное сообщение удалено',
  'это сообщение удалено',
  'это сообщение было удалено',
  'se eliminó este mensaje',
  'este mensaje fue eliminado',
  'esta mensagem foi apagada',
  'essa mensagem foi apagada',
  'mensagem apagada',
  'ce message a été supprimé',
  'questo messaggio è stato eliminato',
  'dit bericht is verwijderd',
  'bu mesaj silindi',
  'це повідомлення було видалено',
  'tato zpráva byla smazána',
  'pesan ini telah dihapus',
  'pesan ini dihapus',
  'تم حذف هذه الرسالة',
  'הודעה זו נמחקה',
];
export const DELETED_BY_OWNER = [
  'you deleted this message',
  'du hast diese nachricht gelöscht',
  'вы удалили данное сообщение',
  'вы удалили это сообщение',
  'eliminaste este mensaje',
  'você apagou esta mensagem',
  'apagou esta mensagem',
  'vous avez supprimé ce message',
  'hai eliminato questo messaggio',
  'je hebt dit bericht verwijderd',
  'bu mesajı sildiniz',
  'ви видалили це повідомлення',
  'tuto zprávu jste smazal/a',
  'anda menghapus pesan ini',
  'لقد حذفت هذه الرسالة',
  'מחקת הודעה זו',
];

/** The text inside the trailing `<This message was edited>` (lower case, without a final dot). */
export const EDITED = [
  'this message was edited',
  'diese nachricht wurde bearbeitet',
  'сообщение изменено',
  'se editó este mensaje',
  'mensagem editada',
  'ce message a été modifié',
  'questo messaggio è stato modificato',
  'messaggio modificato',
  'dit bericht is bewerkt',
  'bu mesaj düzenlendi',
];

/** View-once media is exported as this body. */
export const VIEW_ONCE_BODY = 'null';

/** Live location notices (lower case). */
export const LIVE_LOCATION = [
  'live location shared',
  'live-standort wird geteilt',
  'live-standort geteilt',
  'ubicación en tiempo real compartida',
];

/** Call notices (iOS writes them as messages of the caller), lower case, matched as a prefix. */
export const CALL_PREFIXES = [
  'missed voice call',
  'missed video call',
  'missed group voice call',
  'missed group video call',
  'voice call',
  'video call',
  'verpasster sprachanruf',
  'verpasster videoanruf',
  'sprachanruf',
  'videoanruf',
  'пропущенный аудиозвонок',
  'пропущенный видеозвонок',
  'аудиозвонок',
  'видеозвонок',
  'llamada perdida',
  'llamada de voz',
  'videollamada',
];

/** How export files are named, before the chat name (`WhatsApp Chat with X.txt`), lower case. */
export const EXPORT_NAME_PREFIXES = [
  'whatsapp chat with ',
  'whatsapp chat - ',
  'whatsapp-chat mit ',
  'whatsapp chat mit ',
  'чат whatsapp с ',
  'чат whatsapp з ',
  'chat de whatsapp con ',
  'chat whatsapp con ',
  'conversa do whatsapp com ',
  'conversa no whatsapp com ',
  'discussion whatsapp avec ',
  'whatsapp-chat met ',
  'whatsapp chat met ',
  'czat whatsapp z ',
];

/**
 * System-line classes, tried in order on the text of a line no participant wrote. Patterns are
 * case-insensitive; English, German, Russian, Spanish and a few others.
 */
export const SYSTEM_ACTIONS: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'encryption-notice',
    /end-to-end[- ]encrypted|ende-zu-ende-verschlüsselt|сквозным шифрованием|cifrados de extremo a extremo|chiffrés de bout en bout|criptografia de ponta a ponta|crittografati end-to-end|رمزگذاری سرتاسری|مشفرة تمامًا/i,
  ],
  ['security-code-changed', /security code|sicherheitsnummer|код безопасности|código de seguridad/i],
  ['number-changed', /changed (?:their|your) phone number|changed to \+|telefonnummer geändert|изменил\S* номер|cambió su número/i],
  [
    'group-created',
    /created (?:the )?group|hat die gruppe .*erstellt|создал\S* группу|creó el grupo|a créé le groupe/i,
  ],
  [
    'subject-changed',
    /changed the (?:subject|group name)|changed this group's name|betreff|gruppennamen|изменил\S* (?:тему|название)|cambió el (?:asunto|nombre)/i,
  ],
  ['icon-changed', /group(?:'s)? icon|gruppenbild|значок группы|фото группы|imagen del grupo/i],
  ['description-changed', /group description|gruppenbeschreibung|описание группы|descripción del grupo/i],
  ['disappearing-messages', /disappearing messages|selbstlöschende|исчезающие сообщения|mensajes temporales/i],
  ['admin-changed', /\badmin\b|администратор/i],
  ['member-joined', /joined using|\bjoined\b|beigetreten|присоединил|se unió/i],
  ['member-removed', /\bremoved\b|entfernt|удалил\S*|eliminó a/i],
  ['member-left', /\bleft$|hat die gruppe verlassen|вышел|salió/i],
  ['member-added', /\badded\b|hinzugefügt|добавил\S*|añadió/i],
  ['message-pinned', /pinned a message|angeheftet|закрепил/i],
  ['call', /\bcall\b|anruf|звонок|llamada/i],
];

/**
 * Phrases that appear only in system text: a would-be author containing one is part of a system
 * line whose text has a `: ` further on (a quoted group subject, say), not a sender.
 */
export const SYSTEM_PHRASES_IN_AUTHOR =
  /\b(?:changed the (?:subject|group)|changed this group|created group|created the group|added|removed|joined using|security code|end-to-end|pinned a message|changed their phone)\b|hat (?:den|die|das) |изменил\(-а\)|создал\(-а\)|добавил\(-а\)|cambió el|creó el grupo/i;

// Notices newer iOS exports write under a name (`[…] Family: ‎Boris added you`), as whole texts.
// A line with a `Name: ` header is authored unless its whole text (invisible marks aside) is one of
// these: the phrase decides, never the mark, because Android puts U+200E inside ordinary messages
// and a sender can type one to pass a threat off as a notice. Each pattern is anchored at both
// ends and leaves no room for free text beside the fixed words but for names and quoted subjects.
// `N` stands for a name (contact, push name or number; `You`/`Du`/`Вы` where WhatsApp writes
// that), `Q` for a quoted group subject. Expanded to regular expressions by body.ts.

/**
 * The first sentence of the end-to-end encryption notice, which opens every iOS export (under the
 * chat's name). Its explanation after that sentence changes between versions, so only the opening
 * is matched (notice kind `encryption`, see body.ts).
 */
export const ENCRYPTION_NOTICE_OPENINGS: readonly string[] = [
  'Messages and calls are end-to-end encrypted.',
  'Messages to this chat and calls are now secured with end-to-end encryption.',
  'Messages to this group are now secured with end-to-end encryption.',
  'Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt.',
  'Nachrichten an diese Gruppe sind jetzt mit Ende-zu-Ende-Verschlüsselung geschützt.',
  'Сообщения и звонки защищены сквозным шифрованием.',
  'Los mensajes y las llamadas están cifrados de extremo a extremo.',
  'Les messages et les appels sont chiffrés de bout en bout.',
  'I messaggi e le chiamate sono crittografati end-to-end.',
  'As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta',
];

/** Notices with no free text at all (or only the contact's name): a system line under any name. */
export const SYSTEM_NOTICES: readonly string[] = [
  // English
  'Your security code with N changed.',
  'Your security code with N changed. Tap to learn more.',
  "N's security code changed. Tap to learn more.",
  'You blocked this contact.',
  'You blocked this contact. Tap to unblock.',
  'You unblocked this contact.',
  'N is a contact.',
  'This chat is with a business account. Tap to learn more.',
  'This business uses a secure service from Meta to manage this chat. Tap to learn more.',
  'Disappearing messages were turned off.',
  "You're now an admin",
  // German
  'Deine Sicherheitsnummer für N hat sich geändert.',
  'Deine Sicherheitsnummer für N hat sich geändert. Tippe, um mehr zu erfahren.',
  'Du hast diesen Kontakt blockiert.',
  'Du hast diesen Kontakt freigegeben.',
  'Du bist jetzt ein Admin',
  // Russian
  'Ваш код безопасности для N изменился.',
  'Ваш код безопасности для N изменился. Нажмите, чтобы узнать подробнее.',
  'Вы заблокировали этот контакт.',
  'Вы разблокировали этот контакт.',
  'Теперь вы администратор',
  // Spanish
  'Tu código de seguridad con N cambió.',
  'Tu código de seguridad con N cambió. Toca para obtener más información.',
];

/** Group notices that name who did what: system lines only under the chat's own name. */
export const SYSTEM_TEMPLATES: readonly string[] = [
  // English
  'N created group Q',
  'N created this group',
  'N added N',
  'N removed N',
  'N left',
  "N joined using this group's invite link",
  'N joined using your invite link',
  'N joined from the community',
  'N changed the subject to Q',
  'N changed the subject from Q to Q',
  'N changed the group name to Q',
  'N changed the group name from Q to Q',
  "N changed this group's icon",
  "N deleted this group's icon",
  'N changed the group description',
  'N deleted the group description',
  'N changed their phone number to a new number. Tap to message or add the new number.',
  'N changed their phone number to a new number. Tap to message or add the new number',
  "N changed this group's settings to allow only admins to send messages to this group",
  "N changed this group's settings to allow all participants to send messages to this group",
  "N changed this group's settings to allow only admins to edit this group's info",
  "N changed this group's settings to allow all participants to edit this group's info",
  'N turned on disappearing messages. New messages will disappear from this chat 7 days after they’re sent.',
  "N turned on disappearing messages. New messages will disappear from this chat 7 days after they're sent.",
  'N turned off disappearing messages.',
  'N pinned a message',
  'N made you an admin',
  'N now has admin rights',
  // German
  'N hat die Gruppe Q erstellt',
  'N hat diese Gruppe erstellt',
  'N hat N hinzugefügt',
  'N hat N entfernt',
  'N hat die Gruppe verlassen',
  'N ist über den Einladungslink dieser Gruppe beigetreten',
  'N ist der Gruppe über den Einladungslink beigetreten',
  'N hat den Betreff zu Q geändert',
  'N hat den Betreff von Q zu Q geändert',
  'N hat das Gruppenbild geändert',
  'N hat das Gruppenbild gelöscht',
  'N hat die Gruppenbeschreibung geändert',
  'N hat die Gruppenbeschreibung gelöscht',
  'N hat eine Nachricht angeheftet',
  'N hat selbstlöschende Nachrichten deaktiviert.',
  'Du hast die Gruppe Q erstellt',
  'Du hast N hinzugefügt',
  'Du hast N entfernt',
  'Du hast die Gruppe verlassen',
  // Russian
  'N создал(-а) группу Q',
  'N создал(-а) эту группу',
  'N добавил(-а) N',
  'N удалил(-а) N',
  'N вышел(-ла)',
  'N покинул(-а) группу',
  'N присоединился(-ась) по ссылке-приглашению этой группы',
  'N изменил(-а) тему на Q',
  'N изменил(-а) тему с Q на Q',
  'N изменил(-а) изображение этой группы',
  'N удалил(-а) изображение этой группы',
  'N изменил(-а) описание группы',
  'N закрепил(-а) сообщение',
  'Вы создали группу Q',
  'Вы добавили N',
  'Вы удалили N',
  'Вы вышли',
  // Spanish, French
  'N creó el grupo Q',
  'N añadió a N',
  'N te añadió',
  'N eliminó a N',
  'N salió del grupo',
  'N salió',
  'N se unió usando el enlace de invitación de este grupo',
  'N cambió el asunto a Q',
  'N cambió el asunto de Q a Q',
  'N cambió el ícono de este grupo',
  'N cambió la descripción del grupo',
  'N a créé le groupe Q',
  'N a ajouté N',
  'N vous a ajouté',
  'N a retiré N',
  'N est parti',
  'N a changé le sujet de Q en Q',
];
