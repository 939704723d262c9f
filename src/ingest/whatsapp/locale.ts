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
