// Planted threat campaigns, from a seed: real-format exports (Telegram Desktop single-chat JSON,
// WhatsApp Android .txt, WhatsApp iOS .zip) written into one folder per victim, plus the ground
// truth of who is who. Same seed and size, same bytes.
//
// What is planted:
// - actors, each with 2–4 accounts on both platforms (at least one WhatsApp number, shown unsaved
//   or saved by a victim under a label such as "Неизвестный", and at least one Telegram account),
//   each account threatening 1–3 victims. Each actor has its own bank of 2–3 Russian threat
//   templates (a {name} slot), obfuscated per message (Latin homoglyphs, U+200B, extra punctuation;
//   every actor's first threat on each account carries both a homoglyph and a zero-width space), a
//   callback number (its first WhatsApp number, which its first Telegram account always writes too)
//   written in a different format each time, and campaign bursts (its accounts write to different
//   victims within the same minute). Accounts get different evidence profiles (templates + timing,
//   callback + templates, callback + timing, all three, or a single family), so recall is not
//   trivial; the ground truth says which identities are linkable (at least two planted evidence
//   families to another identity of their actor) and which are fair to leave apart;
// - traps that must not merge anyone: relatives saved as "Мама"/"Папа"/"Брат"… in every victim's
//   phone (one distinct person each), a viral chain text pasted (WhatsApp) or forwarded
//   (Telegram `forwarded_from`) by many relatives, common greetings (New Year at midnight, good
//   mornings), a public hotline number, a New Year postcard picture sent by several relatives,
//   lone harassers with generic threats, and evening chatter built from word lists;
// - one reused photo per actor, a picture of its own (the original to one victim, a half-size q60
//   re-encoding to another victim through another account), when `images` is on.
//
// Identity keys follow the readers: `telegram:user<id>`, `phone:+7…` for unsaved WhatsApp
// numbers, `name:<sha12 of the export file>:<label>` for saved names (computed after writing).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { rng } from './generate.js';
import { senderScope } from '../src/util/hash.js';

// ---------------------------------------------------------------------------------------------
// Public types

export interface CampaignSize {
  victims: number;
  /** Number of actors, or a [min, max] range drawn from the seed. */
  actors: number | [number, number];
  /** Lone harassers (default 2). */
  harassers?: number;
  /** Conversation sessions per relative over the year (default 14). */
  sessions?: number;
  /** Plant the reused actor photo and the relatives' New Year postcard (default true). */
  images?: boolean;
  /** Share of victims whose WhatsApp chats are iPhone .zip exports (default 0.3). */
  iosShare?: number;
  /**
   * How relatives mention the public hotline: 'copies' (default) pastes one of a few ready-made
   * texts, as people pass on public notices; 'own-words' writes the number inside the relative's
   * own chatter, so that only the number is shared.
   */
  hotline?: 'copies' | 'own-words';
}

export type TruthKind = 'actor' | 'relative' | 'harasser' | 'self';
export type PlantedFamily = 'text' | 'identifier' | 'timing' | 'image';

export interface TruthIdentity {
  key: string;
  kind: TruthKind;
  /** Truth class: the actor id for actor accounts, a unique id per relative, harasser or victim. */
  truth: string;
  /** The platform account this identity is a view of (one account can show as several identities). */
  account: string;
  victims: string[];
  display: string;
  /** Actor identities only: linked by >= 2 planted families to another identity of the actor. */
  linkable: boolean;
  /** Actor identities: the connected group of linkable identities (`<actor>#<n>`), else null. */
  linkGroup: string | null;
  planted: { templates: string[]; wrote: string[]; owns: string | null; bursts: number[]; images: string[] };
}

export interface TruthAccount {
  id: string;
  platform: 'telegram' | 'whatsapp';
  /** Evidence the account was given: T templates, C callback number, B bursts. */
  profile: string;
  victims: string[];
  telegramId: string | null;
  phone: string | null;
  display: string;
}

export interface TruthActor {
  id: string;
  templates: string[];
  callback: string;
  callbackPhrase: string;
  accounts: TruthAccount[];
  bursts: number;
}

export interface TruthVictim {
  label: string;
  name: string;
  tz: string;
  whatsapp: 'android' | 'ios';
  files: string[];
}

export interface PlantedPair {
  a: string;
  b: string;
  actor: string;
  families: PlantedFamily[];
}

export interface GroundTruth {
  seed: number;
  dir: string;
  victims: TruthVictim[];
  actors: TruthActor[];
  /** Every identity the exports should produce, by key. */
  identities: TruthIdentity[];
  /** Planted evidence between identities of one actor (pairs with at least one family). */
  plantedPairs: PlantedPair[];
  traps: {
    viral: string;
    hotline: string;
    greetings: string[];
    relativeLabels: string[];
    harassers: string[];
    viralSenders: string[];
    hotlineSenders: string[];
    postcardSenders: string[];
  };
  messages: number;
  files: number;
}

// ---------------------------------------------------------------------------------------------
// Randomness

class Rand {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  shuffle<T>(list: readonly T[]): T[] {
    const out = list.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
  sample<T>(list: readonly T[], n: number): T[] {
    return this.shuffle(list).slice(0, n);
  }
}

// ---------------------------------------------------------------------------------------------
// Word lists and texts

const VICTIMS: { label: string; name: string; full: string }[] = [
  { label: 'anna', name: 'Анна', full: 'Анна Петрова' },
  { label: 'boris', name: 'Борис', full: 'Борис Иванов' },
  { label: 'dmitri', name: 'Дмитрий', full: 'Дмитрий Кузнецов' },
  { label: 'elena', name: 'Елена', full: 'Елена Смирнова' },
  { label: 'zarema', name: 'Зарема', full: 'Зарема Алиева' },
  { label: 'islam', name: 'Ислам', full: 'Ислам Хасанов' },
  { label: 'madina', name: 'Мадина', full: 'Мадина Умарова' },
  { label: 'ruslan', name: 'Руслан', full: 'Руслан Магомедов' },
  { label: 'khava', name: 'Хава', full: 'Хава Исаева' },
  { label: 'timur', name: 'Тимур', full: 'Тимур Баев' },
  { label: 'amina', name: 'Амина', full: 'Амина Закаева' },
  { label: 'akhmed', name: 'Ахмед', full: 'Ахмед Мусаев' },
  { label: 'leila', name: 'Лейла', full: 'Лейла Гаджиева' },
  { label: 'murad', name: 'Мурад', full: 'Мурад Идрисов' },
  { label: 'petimat', name: 'Петимат', full: 'Петимат Садулаева' },
  { label: 'zaur', name: 'Заур', full: 'Заур Дадаев' },
  { label: 'svetlana', name: 'Светлана', full: 'Светлана Орлова' },
  { label: 'oleg', name: 'Олег', full: 'Олег Соколов' },
  { label: 'malika', name: 'Малика', full: 'Малика Эльдарова' },
  { label: 'adam', name: 'Адам', full: 'Адам Шамаев' },
  { label: 'liana', name: 'Лиана', full: 'Лиана Арсанова' },
  { label: 'said', name: 'Саид', full: 'Саид Юсупов' },
  { label: 'milana', name: 'Милана', full: 'Милана Тагирова' },
  { label: 'ibragim', name: 'Ибрагим', full: 'Ибрагим Курбанов' },
];

const ZONES = ['Europe/Vilnius', 'Europe/Berlin', 'Europe/Warsaw', 'Europe/Riga', 'Asia/Tbilisi', 'Europe/Paris', 'Europe/Istanbul', 'Europe/Moscow'];

/** Threat templates, each actor gets its own 2–3 (no template is shared by two actors). */
const THREAT_TEMPLATES = [
  '{name}, мы знаем, где живёт твоя мать. Ты нигде не в безопасности.',
  '{name}, удали свой канал до пятницы, иначе твоей семье будет очень плохо.',
  'Думаешь, за границей тебя не достанут, {name}? Мы видели тебя вчера у подъезда.',
  '{name}, твой брат уже у нас. Если хочешь увидеть его живым, молчи.',
  'Последнее предупреждение, {name}. Ещё одна статья — и пожалеешь, что родился.',
  '{name}, мы следим за каждым твоим шагом. Машину свою проверь перед выездом.',
  'Хватит писать про суды, {name}. У нас есть адрес твоих родителей в Грозном.',
  '{name}, сними ролик с извинениями до воскресенья, или твои родные ответят за тебя.',
  'Твои соседи уже рассказали нам всё, {name}. Ждём тебя дома, не задерживайся.',
  '{name}, ты позоришь свой род. Вернись домой добровольно, пока просят по-хорошему.',
  'Мы нашли твою квартиру, {name}. Смени замки, хотя это тебе не поможет.',
  '{name}, если завтра пост не исчезнет, твоей сестре не поздоровится.',
  'Сколько ещё ты будешь прятаться, {name}? Родственники уже дали нам твой новый адрес.',
  '{name}, полиция Европы тебя не защитит. У нас везде свои люди.',
  'Удали все видео про республику, {name}, иначе отправим твои фото всем знакомым.',
  '{name}, отец за тебя краснеет. Приезжай на разговор, пока мы ещё спокойны.',
  'Каждый вечер ты гуляешь с собакой в парке, {name}. Очень неосторожно.',
  '{name}, мы закроем твоим родным выезд, если не прекратишь свои эфиры.',
  'Закрой рот, {name}. Твоя мать плакала, когда мы к ней приходили.',
  '{name}, твой университет уже получил письмо о тебе. Следующее письмо будет в посольство.',
  'Подумай о младшем брате, {name}. Ему ещё учиться, а ты ему всё портишь.',
  '{name}, ещё один репост — и в вашем доме начнутся проверки.',
  'Ты забыл, откуда ты родом, {name}? Мы напомним, приедем сами.',
  '{name}, твоё имя уже в списке. Извинись публично, тогда вычеркнем.',
];

/** Callback phrasings, one per actor ({phone} is the number in some format). */
const CALLBACK_PHRASES = [
  'Перезвони по номеру {phone}, иначе пожалеешь.',
  'Наш номер: {phone}. Ждём звонка до вечера.',
  'Если умный — позвонишь на {phone} сегодня.',
  'Для разговора набери {phone}, другого шанса не будет.',
  'Номер для связи {phone}, звони сам, пока не поздно.',
  'Позвони {phone} и договоримся по-людски.',
  'Вот номер {phone}. Не позвонишь — приедем.',
  'Свяжись с нами по {phone}, время пошло.',
];

const TELEGRAM_ACTOR_NAMES = ['Служба Безопасности', 'Доброжелатель', 'Аноним', 'Наблюдатель', 'Земляк', 'Друг семьи', 'Патриот', 'Иван Иванов', 'Магомед', 'Старший брат', 'Правда'];
/** Labels victims give to threatening numbers; collide across victims and actors on purpose. */
const SAVED_THREAT_LABELS = ['Неизвестный', 'Не отвечать', 'Спам', 'Угрозы', 'Аноним номер'];

/** Ad-hoc threats for accounts without templates: two fragments, many combinations. */
const ADHOC_A = [
  'Ты плохо кончишь,',
  'Мы не шутим,',
  'Тебя предупреждали,',
  'Не думай, что спрячешься,',
  'Зря ты это начал,',
  'Скоро сам всё поймёшь,',
  'Твоё время выходит,',
  'Тебе никто не поможет,',
  'Запомни эти слова,',
  'Смейся пока можешь,',
  'Мы терпеливые люди,',
  'Ты перешёл черту,',
  'Не испытывай наше терпение,',
  'Думай о последствиях,',
];
const ADHOC_B = [
  'если продолжишь болтать в интернете.',
  'твои родные узнают всё первыми.',
  'мы доберёмся и до твоих друзей.',
  'у нас длинные руки и хорошая память.',
  'такие как ты долго не бегают.',
  'через неделю будет поздно извиняться.',
  'мы знаем твой новый город.',
  'каждое твоё видео у нас сохранено.',
  'долги семьи придётся отдавать тебе.',
  'твоя работа тоже под вопросом.',
  'разговор будет уже не по телефону.',
  'за тобой присматривают каждый день.',
];
const ACTOR_SHORT = ['Ответь.', 'Ну?', 'Жду.', 'Думай.', 'Тик-так.', 'Молчишь?', 'Последний раз говорю.'];
const CALLBACK_SHORT = ['Звони', 'Позвони', 'Набери', 'Связь:', 'Тел.'];

/** Generic threats of lone harassers (English and Russian), shared pool. */
const GENERIC_THREATS = [
  'You will regret this, trust me. Stop posting.',
  'You are a traitor and everyone will know it soon.',
  'Stop writing lies or you will be sorry, I promise.',
  'People like you always get what they deserve.',
  'Ты ещё пожалеешь, что открыл свой рот, предатель.',
  'Предатель, тебе не место среди нормальных людей.',
  'Сиди тихо, иначе будут проблемы, я обещаю.',
  'Таких, как ты, надо отправлять обратно без разговоров.',
  'Keep talking and see what happens next week.',
  'Смотри, как бы тебе не пришлось отвечать за слова.',
];

const VICTIM_REPLIES_TO_THREATS = [
  'Кто вы? Я сохранила все ваши сообщения.',
  'Оставьте меня в покое.',
  'Я передам это в полицию.',
  'Кто это?',
  'Откуда у вас мой номер?',
  'Я не буду с вами разговаривать.',
  'Who is this?',
  'Все скриншоты уже у юриста.',
];

const VIRAL =
  '⚡️Срочно! С 22:00 до 6:00 в городе отключат мобильный интернет. Перешлите всем родным!';
const VIRAL_VARIANTS = [VIRAL, `${VIRAL}!`, `${VIRAL} 🙏`, '⚡️Срочно!! С 22:00 до 6:00 в городе отключат мобильный интернет. Перешлите всем родным!'];
const VIRAL_CHANNELS = ['Новости Кавказа', 'Срочные новости', 'Наш город'];
const HOTLINE_E164 = '+78002000122';
const HOTLINE_PHRASES = [
  'Запиши номер горячей линии: 8 800 2000 122, там помогают бесплатно.',
  'Соседка сказала звонить на 8-800-2000-122, если что случится.',
  'Горячая линия 88002000122 работает круглосуточно, сохрани себе.',
  'Если будут звонить странные люди, звони 8 (800) 2000-122, это телефон доверия.',
  'По телевизору сказали номер 8 800 2000 122, можно звонить анонимно.',
];
const GREETING_NEW_YEAR = 'С Новым годом! Здоровья, счастья и мира вам всем!';
const GREETING_NEW_YEAR_VARIANTS = [GREETING_NEW_YEAR, `${GREETING_NEW_YEAR} ❤️`, 'С Новым годом!!! Здоровья, счастья и мира вам всем!', 'С Новым годом! Здоровья, счастья и мира вам всем! 🎄'];
const GREETING_MORNING = 'Доброе утро! Хорошего дня!';
const GREETING_MORNING_VARIANTS = [GREETING_MORNING, `${GREETING_MORNING} ☀️`, 'Доброе утро! Хорошего дня!!', 'Доброе утро!  Хорошего дня! 🌸'];

// Relatives: the victim saved them under these labels (the same labels in every victim's phone).
const RELATIVE_ROLES: { label: string; platform: 'telegram' | 'whatsapp'; p: number }[] = [
  { label: 'Мама', platform: 'whatsapp', p: 1 },
  { label: 'Папа', platform: 'whatsapp', p: 0.7 },
  { label: 'Брат', platform: 'telegram', p: 0.5 },
  { label: 'Сестра', platform: 'telegram', p: 0.4 },
  { label: 'Бабушка', platform: 'whatsapp', p: 0.35 },
  { label: 'Тётя Зина', platform: 'whatsapp', p: 0.2 },
];

// Family chatter, assembled from word lists. Each relative has a voice: a personal draw of people,
// places, dishes and habits from large pools (families talk about their own people), and sentence
// frames with four or more slots. Two relatives of different victims then rarely write the same
// sentence by chance: the template channel compares by containment, so even one shared sentence
// inside two different messages would be a (false) template match.
const PEOPLE = [
  'тётя Зина', 'соседка Марьям', 'дядя Руслан', 'бабушка Хеда', 'двоюродный брат Умар', 'учительница Аминат', 'сосед Ваха', 'младшая Седа', 'дедушка Муса',
  'Лиза из магазина', 'кум Адам', 'тётя Луиза', 'Саша с работы', 'невестка Зулай', 'водитель Аслан', 'тётя Роза', 'дядя Беслан', 'Петимат с пятого этажа',
  'фельдшер Зарина', 'бабушка Айшат', 'дядя Шамиль', 'соседский Ибрагим', 'тётя Малкан', 'сваха Раиса', 'племянник Алихан', 'тётя Тамара', 'кума Людмила',
  'дядя Салман', 'подруга Яха', 'Коля из гаража', 'тётя Хава', 'дядя Магомед', 'соседка Нина Петровна', 'внучка Айна', 'дядя Висхан', 'тётя Марет',
];
const PLACES = [
  'в селе', 'в городе', 'на даче', 'в Шали', 'в Гудермесе', 'в Урус-Мартане', 'на рынке', 'в райцентре', 'в Аргуне', 'у мечети', 'в Назрани', 'в Хасавюрте',
  'на остановке', 'в поликлинике', 'у школы', 'на почте', 'в Махачкале', 'в Нальчике', 'на трассе', 'в Грозном', 'в Курчалое', 'у родника', 'на кладбище', 'в банке',
];
const THINGS = [
  'пирог с тыквой', 'новые шторы', 'мешок картошки', 'старый альбом', 'банку мёда', 'варенье из айвы', 'корзину яблок', 'газовую плиту', 'лекарство от давления',
  'тёплое одеяло', 'котёнка', 'новый телефон', 'велосипед', 'ковёр в зал', 'сыр из деревни', 'курагу', 'мешок орехов', 'книгу рецептов', 'куртку на зиму',
  'ключи от гаража', 'чайный сервиз', 'рассаду помидоров', 'лепёшки с зеленью', 'пианино', 'два ведра вишни', 'холодильник', 'стиральную машину', 'ящик абрикосов',
  'шерстяные носки', 'кастрюлю', 'сапоги', 'ведро малины', 'мешок муки', 'сушёную черемшу', 'телевизор', 'самовар', 'корову', 'баранину',
];
const DISHES = [
  'жижиг-галныш', 'плов', 'хинкал', 'борщ', 'пельмени', 'голубцы', 'чепалги', 'курицу с картошкой', 'суп с фасолью', 'пирожки с мясом', 'манты', 'блины',
  'шурпу', 'долму', 'хингалш', 'галушки', 'котлеты', 'лагман', 'солянку', 'сырники', 'плов с изюмом', 'кукурузную кашу', 'чуду', 'уху',
];
const WHEN = ['Вчера', 'Сегодня утром', 'В субботу', 'На прошлой неделе', 'Позавчера', 'Сегодня днём', 'Вечером', 'В воскресенье', 'Утром', 'Перед обедом', 'Ночью', 'В среду', 'Недавно', 'Только что'];
const PAST = ['принесла', 'купил', 'нашла', 'приготовила', 'подарил', 'передала', 'испекла', 'починил', 'привезла', 'заказал', 'потерял', 'отдала', 'выбросил', 'продала', 'украли', 'сломал'];
const TAIL = [
  'представляешь', 'я в шоке', 'все смеялись', 'папа ругался', 'никто не ожидал', 'вот так', 'я потом расскажу', 'соседи завидуют', 'еле донесли', 'даже не спросил',
  'как всегда', 'без денег', 'за копейки', 'на радостях', 'сама не верю', 'вот чудо', 'дети в восторге', 'хорошо хоть так', 'жалко конечно', 'потом вернул',
  'ну и дела', 'всё из-за дождя', 'мы так и думали', 'не говори никому', 'смешно получилось', 'теперь жди новостей', 'весь район знает', 'дай бог здоровья',
  'как ни странно', 'такие времена', 'говорят, к деньгам', 'у них всегда так', 'папа не верит', 'бабушка плакала', 'мы чуть не опоздали', 'надо было видеть',
];
const TASKS = [
  'купить лекарства', 'забрать посылку', 'передать документы', 'найти справку', 'отправить фото', 'оплатить свет', 'позвонить дяде', 'поздравить тётю',
  'записаться к врачу', 'полить цветы', 'закрыть окна', 'поменять масло', 'вынести мусор', 'продлить визу', 'сделать прививку', 'снять показания счётчика',
  'выключить газ', 'забрать пальто из химчистки', 'продать машину', 'купить билеты', 'выучить слова', 'поставить свечку', 'сходить в банк', 'подписать бумаги',
];
const DEADLINES = ['до вечера', 'завтра', 'в пятницу', 'на выходных', 'до конца месяца', 'с утра', 'после работы', 'сегодня же', 'до праздника', 'пока не стемнело', 'на этой неделе', 'до обеда'];
const WEATHER = ['дождь', 'холод', 'снег', 'жара', 'ветер', 'туман', 'гроза', 'слякоть', 'град', 'мороз', 'духота', 'гололёд'];
const FEELINGS = ['скучаю', 'волнуюсь', 'переживаю', 'радуюсь за тебя', 'горжусь тобой', 'молюсь за тебя', 'не сплю ночами', 'думаю о тебе'];
const HEALTH = ['давление', 'спина', 'колено', 'сердце', 'зуб', 'голова', 'желудок', 'рука', 'кашель', 'аллергия', 'поясница', 'глаза'];
const HEALTH_STATE = ['опять болит', 'прошло', 'получше', 'совсем плохо', 'как обычно', 'вроде отпустило', 'врач смотрел', 'не проходит'];
const GOODS = ['хлеб', 'сахар', 'бензин', 'мясо', 'лекарства', 'масло', 'свет', 'газ', 'молоко', 'овощи', 'проезд', 'муку', 'лук', 'яйца', 'картошку', 'рис'];
const QUESTIONS = [
  'Ты поела?', 'Когда приедешь?', 'Как на работе?', 'Ты спишь?', 'Деньги дошли?', 'Как твоё здоровье?', 'Почему не звонишь?', 'Как погода у вас?', 'Ты получила посылку?',
  'Что нового?', 'Ты тепло одеваешься?', 'Дети здоровы?', 'Во сколько созвонимся?', 'Как язык учишь?', 'Квартиру нашли?', 'Ты видела фото?', 'Тебе что-нибудь нужно?',
  'Соседи не шумят?', 'Ты в магазин ходила?', 'Документы готовы?', 'Как там Лейла?', 'Работу нашёл?', 'Машину починили?', 'Ты не болеешь?',
];
const OPENERS = ['', '', '', '', 'Привет!', 'Салам!', 'Ассаламу алейкум!', 'Слушай,', 'Дорогая,', 'Сынок,', 'Доча,', 'Ну что,', 'Родная,', 'Ох,', 'Короче,'];
const EMOJI = ['', '', '', ' ❤️', ' 😊', ' 🙏', ' 😢', ' 👍', ' 🌸', ' 😂', ' 🤲'];
const VICTIM_CHAT_REPLIES = [
  'Хорошо, мам.', 'Я позвоню вечером.', 'Всё нормально, не переживай.', 'Да, получила, спасибо!', 'Работаю, потом напишу.', 'Целую вас всех ❤️', 'Ага, понял.',
  'Спасибо большое!', 'Завтра наберу.', 'Береги себя.', 'Не волнуйся за меня.', 'Я тоже скучаю.', 'Скинь фото, пожалуйста.',
];

/** A relative's own vocabulary: a personal draw from the pools. */
interface Voice {
  people: string[];
  places: string[];
  things: string[];
  dishes: string[];
  tails: string[];
  tasks: string[];
}

function voice(r: Rand): Voice {
  return {
    people: r.sample(PEOPLE, 5),
    places: r.sample(PLACES, 4),
    things: r.sample(THINGS, 8),
    dishes: r.sample(DISHES, 5),
    tails: r.sample(TAIL, 8),
    tasks: r.sample(TASKS, 6),
  };
}

function sentence(r: Rand, v: Voice, followUp: boolean): string {
  const who = r.pick(v.people);
  const tail = r.pick(v.tails);
  const cap = (s: string): string => s[0]!.toUpperCase() + s.slice(1);
  // Short, low-variety sentences (questions, feelings) only follow a content sentence.
  switch (followUp ? r.int(0, 13) : r.int(0, 9)) {
    case 0:
      return `${r.pick(WHEN)} ${who} ${r.pick(PAST)} ${r.pick(v.things)} ${r.pick(v.places)}, ${tail}.`;
    case 1:
      return `Не забудь ${r.pick(v.tasks)} ${r.pick(DEADLINES)}, ${who} просил${r.pick(['', 'а'])} напомнить, ${tail}.`;
    case 2:
      return `${cap(r.pick(WEATHER))} ${r.pick(v.places)} ${r.pick(['третий день', 'с утра', 'всю неделю', 'опять', 'с ночи'])}, ${who} ${r.pick(['сидит дома', 'не вышла на работу', 'чинит крышу', 'ругается', 'гуляет с детьми', 'застрял в пробке'])}, ${tail}.`;
    case 3:
      return `${r.pick(['Сварила', 'Пожарила', 'Испекла', 'Приготовила', 'Разогрела', 'Заказала'])} ${r.pick(v.dishes)} ${r.pick(['на ужин', 'к чаю', 'для гостей', 'на обед', 'на всю неделю', 'к приезду'])}, ${who} ${r.pick(['хвалил', 'съел две тарелки', 'не пришёл', 'опоздал', 'принёс хлеб', 'остался ночевать'])}, ${tail}.`;
    case 4:
      return `${cap(r.pick(GOODS))} ${r.pick(v.places)} ${r.pick(['подорожал', 'опять дороже', 'стоит как золото', 'не достать', 'подешевел немного'])}, ${who} ${r.pick(['жалуется', 'берёт оптом', 'возит из города', 'говорит, будет хуже'])}, ${tail}.`;
    case 5:
      return `У ${r.pick(['меня', 'папы', 'бабушки', 'дедушки', 'тёти', 'соседки'])} ${r.pick(HEALTH)} ${r.pick(HEALTH_STATE)}, ${who} ${r.pick(['возил к врачу', 'принесла травы', 'советует санаторий', 'ставил уколы'])}, ${tail}.`;
    case 6:
      return `${r.pick(WHEN)} ${who} ${r.pick(['спрашивала про тебя', 'передавал привет', 'звонил нам', 'заходила в гости', 'рассказывала новости', 'просила твой номер'])} ${r.pick(v.places)}, ${tail}.`;
    case 7:
      return `${cap(who)} ${r.pick(['женится', 'переезжает', 'купил дом', 'родила дочку', 'поступил в институт', 'уехал на заработки', 'вышла на пенсию', 'открыл магазин'])} ${r.pick(v.places)}, ${tail}.`;
    case 8:
      return `${r.pick(WHEN)} ${r.pick(['отключили свет', 'не было воды', 'чинили дорогу', 'была свадьба', 'были похороны', 'приезжала комиссия', 'был сильный ветер'])} ${r.pick(v.places)}, ${who} ${r.pick(['помогал', 'всё снимала на видео', 'ничего не знал', 'звонила мне', 'всё рассказал'])}, ${tail}.`;
    case 9:
      return `Отправила тебе ${r.pick(['фото', 'видео', 'деньги', 'посылку', 'голосовое', 'рецепт', 'лекарства', 'документы'])} ${r.pick(['на день рождения', 'для детей', 'с вокзала', 'из дома', 'на всякий случай', 'как ты просила', 'от всей семьи', 'со свадьбы'])} через ${who}, ${r.pick(['проверь', 'напиши, когда дойдёт', 'не потеряй', 'покажи детям', 'ответь обязательно'])}, ${tail}.`;
    case 10:
    case 11:
      return r.pick(QUESTIONS);
    default:
      return `Я ${r.pick(FEELINGS)}, ${r.pick(['пиши чаще', 'звони хоть иногда', 'береги себя', 'кушай нормально', 'не гуляй поздно', 'одевайся теплее'])}.`;
  }
}

/** A family-chat message in a relative's voice: 1–3 sentences, sometimes an opener and an emoji. */
function chatter(r: Rand, v: Voice): string {
  const n = r.chance(0.55) ? 1 : r.chance(0.75) ? 2 : 3;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(sentence(r, v, i > 0));
  const opener = r.pick(OPENERS);
  // After a vocative ("Слушай,") the sentence goes on in lower case.
  if (opener.endsWith(',')) parts[0] = `${opener} ${parts[0]![0]!.toLowerCase()}${parts[0]!.slice(1)}`;
  else if (opener) parts.unshift(opener);
  return parts.join(' ') + r.pick(EMOJI);
}

/** A family-chat message in a fresh random voice (for benchmarks that only need the mix). */
export function chatterText(r: Rand | (() => number)): string {
  const rand = typeof r === 'function' ? wrapRand(r) : r;
  return chatter(rand, voice(rand));
}

function wrapRand(next: () => number): Rand {
  const r = Object.create(Rand.prototype) as Rand;
  (r as unknown as { next: () => number }).next = next;
  return r;
}

/** Exposed for the scale benchmark: word-list generators over a given PRNG. */
export const TEXTS = {
  chatter: (next: () => number): string => chatterText(next),
  templates: THREAT_TEMPLATES,
  callbackPhrases: CALLBACK_PHRASES,
  generic: GENERIC_THREATS,
  viral: VIRAL_VARIANTS,
  greetings: [...GREETING_NEW_YEAR_VARIANTS, ...GREETING_MORNING_VARIANTS],
  hotline: HOTLINE_PHRASES,
  obfuscate: (next: () => number, text: string): string => obfuscate(wrapRand(next), text),
};

// Obfuscation: Latin look-alikes inside Cyrillic words, zero-width spaces, extra punctuation.
const HOMOGLYPHS: Record<string, string> = { а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', х: 'x', у: 'y', А: 'A', Е: 'E', О: 'O', Р: 'P', С: 'C' };

function obfuscate(r: Rand, text: string, force = false): string {
  // Forced: the first long word that has a look-alike gets a homoglyph, the second long word a U+200B.
  let homoglyph = force;
  let zeroWidth = force;
  let out = text.replace(/[\p{Script=Cyrillic}]{3,}/gu, (word) => {
    let w = word;
    const hasLookAlike = [...w].some((ch) => HOMOGLYPHS[ch]);
    const forceHomoglyph = homoglyph && hasLookAlike;
    if (forceHomoglyph) homoglyph = false;
    const forceZeroWidth = !forceHomoglyph && zeroWidth;
    if (forceZeroWidth) zeroWidth = false;
    if (forceHomoglyph || r.chance(0.3)) {
      const idx = [...w].map((ch, i) => (HOMOGLYPHS[ch] ? i : -1)).filter((i) => i >= 0);
      if (idx.length > 0) {
        const i = r.pick(idx);
        const chars = [...w];
        chars[i] = HOMOGLYPHS[chars[i]!]!;
        w = chars.join('');
      }
    }
    if (forceZeroWidth || r.chance(0.12)) {
      const chars = [...w];
      const at = r.int(1, chars.length - 1);
      chars.splice(at, 0, '\u200B');
      w = chars.join('');
    }
    return w;
  });
  if (r.chance(0.3)) out = out.replace(/\.$/, r.pick(['...', '!!', '!!!', '.!']));
  if (r.chance(0.2)) out = out.replace(/, /, r.pick([',, ', ' , ', '... ']));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Phones and times

const MOBILE_PREFIXES = ['903', '905', '909', '915', '916', '917', '925', '926', '928', '938', '951', '960', '962', '963', '965', '967', '985', '988', '999'];

interface Phone {
  e164: string;
  /** 10 national digits. */
  digits: string;
}

function phoneParts(p: Phone): [string, string, string, string] {
  const d = p.digits;
  return [d.slice(0, 3), d.slice(3, 6), d.slice(6, 8), d.slice(8, 10)];
}

/** As WhatsApp Android shows an unsaved number. */
function androidShown(p: Phone): string {
  const [a, b, c, d] = phoneParts(p);
  return `+7 ${a} ${b}-${c}-${d}`;
}

/** As WhatsApp iOS shows an unsaved number (bidi embedding, non-breaking hyphens). */
function iosShown(p: Phone): string {
  const [a, b, c, d] = phoneParts(p);
  return `\u202A+7 ${a} ${b}\u2011${c}\u2011${d}\u202C`;
}

/** How people write a number in a message: five formats. */
function writtenAs(p: Phone, format: number): string {
  const [a, b, c, d] = phoneParts(p);
  return [`+7 ${a} ${b}-${c}-${d}`, `8 (${a}) ${b} ${c} ${d}`, `8${a}${b}${c}${d}`, `+7(${a})${b}${c}${d}`, `8 ${a} ${b}-${c}-${d}`][format]!;
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
interface Local {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function localOf(ms: number, tz: string): Local {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    fmtCache.set(tz, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year!, mo: parts.month!, d: parts.day!, h: parts.hour!, mi: parts.minute!, s: parts.second! };
}

/** UTC instant of a wall-clock time in a zone. */
function utcOf(tz: string, y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const want = Date.UTC(y, mo - 1, d, h, mi, s);
  let guess = want;
  for (let i = 0; i < 3; i++) {
    const l = localOf(guess, tz);
    guess += want - Date.UTC(l.y, l.mo - 1, l.d, l.h, l.mi, l.s);
  }
  return guess;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const DAY = 86_400_000;
const YEAR_START = Date.UTC(2022, 0, 1);

/** A local time between `from`:00 and `to`:59 (default the evening) on day `day` (0 = 1 Jan 2022) in the zone. */
function evening(r: Rand, tz: string, day: number, from = 18, to = 23): number {
  const date = new Date(YEAR_START + day * DAY);
  return utcOf(tz, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), r.int(from, to), r.int(0, 59), r.int(0, 59));
}

// ---------------------------------------------------------------------------------------------
// The campaign model

type Platform = 'telegram' | 'whatsapp';

interface Party {
  /** Truth class. */
  truth: string;
  kind: Exclude<TruthKind, 'self'>;
  account: string;
  platform: Platform;
  telegramId: string | null;
  phone: Phone | null;
  /** Telegram display name (as the victim's client shows it). */
  display: string;
}

interface Msg {
  at: number;
  /** null: the victim. */
  from: Party | null;
  text: string;
  forwardedFrom?: string;
  image?: { data: Buffer; picture: string };
  /** For the ground truth. */
  template?: string;
  wrote?: string[];
  burst?: number;
}

interface Chat {
  victim: VictimState;
  peer: Party;
  /** WhatsApp: the victim's saved label for the peer, or null (the number is shown). */
  saved: string | null;
  messages: Msg[];
}

interface VictimState {
  label: string;
  name: string;
  full: string;
  tz: string;
  whatsapp: 'android' | 'ios';
  telegramId: string;
  chats: Chat[];
  usedLabels: Set<string>;
}

interface AccountState extends Party {
  actor: string;
  profile: { T: boolean; C: boolean; B: boolean };
  victims: VictimState[];
  saved: Map<string, string | null>;
}

const IMAGES_DIR = (): string => fileURLToPath(new URL('../../fixtures/images/', import.meta.url));
let postcard: { original: Buffer; copy: Buffer } | null = null;
/** The relatives' New Year postcard: a camera original (EXIF kept) and the messenger's re-encoding. */
const POSTCARD = (): { original: Buffer; copy: Buffer } =>
  (postcard ??= { original: readFileSync(join(IMAGES_DIR(), 'samsung-s21.jpg')), copy: readFileSync(join(IMAGES_DIR(), 'variants/samsung-s21-messenger.jpg')) });

/**
 * An actor's own photo, as a phone shoots it (640×480, q92) and as a messenger re-sends it (half size,
 * q60): a seeded scene of coloured blocks and discs with sensor-like noise, so that two actors'
 * pictures are far apart in perceptual hash and the two encodings of one are close.
 */
async function actorPhoto(seed: number): Promise<{ original: Buffer; copy: Buffer }> {
  const { default: sharp } = await import('sharp');
  const r = new Rand(seed);
  const width = 640;
  const height = 480;
  const pixels = Buffer.alloc(width * height * 3);
  const base = [r.int(40, 215), r.int(40, 215), r.int(40, 215)];
  for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) pixels[i * 3 + c] = base[c]!;
  for (let shape = 0; shape < 9; shape++) {
    const colour = [r.int(0, 255), r.int(0, 255), r.int(0, 255)];
    const cx = r.int(0, width);
    const cy = r.int(0, height);
    const w = r.int(60, 300);
    const h = r.int(60, 240);
    const disc = r.chance(0.4);
    for (let y = Math.max(0, cy - h); y < Math.min(height, cy + h); y++) {
      for (let x = Math.max(0, cx - w); x < Math.min(width, cx + w); x++) {
        if (disc && ((x - cx) / w) ** 2 + ((y - cy) / h) ** 2 > 1) continue;
        for (let c = 0; c < 3; c++) pixels[(y * width + x) * 3 + c] = colour[c]!;
      }
    }
  }
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, Math.min(255, pixels[i]! + r.int(-6, 6)));
  const raw = { raw: { width, height, channels: 3 as const } };
  const original = await sharp(pixels, raw).jpeg({ quality: 92 }).toBuffer();
  const copy = await sharp(original).resize(width / 2, height / 2).jpeg({ quality: 60 }).toBuffer();
  return { original, copy };
}

export async function generateCampaign(dir: string, seed: number, size: CampaignSize): Promise<GroundTruth> {
  const r = new Rand(seed * 7919 + 17);
  const harasserCount = size.harassers ?? 2;
  const sessions = size.sessions ?? 14;
  const images = size.images ?? true;
  const iosShare = size.iosShare ?? 0.3;
  const hotlineMode = size.hotline ?? 'copies';
  const actorCount = Array.isArray(size.actors) ? r.int(size.actors[0], size.actors[1]) : size.actors;
  if (size.victims > VICTIMS.length) throw new Error(`at most ${VICTIMS.length} victims`);
  if (actorCount * 3 > THREAT_TEMPLATES.length || actorCount > CALLBACK_PHRASES.length) throw new Error('too many actors for the template bank');

  const usedIds = new Set<string>();
  const telegramId = (): string => {
    for (;;) {
      const id = String(r.int(5_000_000_000, 6_999_999_999));
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const usedPhones = new Set<string>();
  const phone = (): Phone => {
    for (;;) {
      const digits = `${r.pick(MOBILE_PREFIXES)}${pad(r.int(0, 9_999_999), 7)}`;
      if (!usedPhones.has(digits)) {
        usedPhones.add(digits);
        return { digits, e164: `+7${digits}` };
      }
    }
  };

  // Victims.
  const victims: VictimState[] = r.sample(VICTIMS, size.victims).map((v) => ({
    ...v,
    tz: r.pick(ZONES),
    whatsapp: r.chance(iosShare) ? 'ios' : 'android',
    telegramId: telegramId(),
    chats: [],
    usedLabels: new Set<string>(),
  }));
  victims.sort((a, b) => (a.label < b.label ? -1 : 1));

  const traps: GroundTruth['traps'] = {
    viral: VIRAL,
    hotline: HOTLINE_E164,
    greetings: [GREETING_NEW_YEAR, GREETING_MORNING],
    relativeLabels: RELATIVE_ROLES.map((x) => x.label),
    harassers: [],
    viralSenders: [],
    hotlineSenders: [],
    postcardSenders: [],
  };

  // Relatives and their chats.
  for (const v of victims) {
    const victimVoice = voice(r);
    for (const role of RELATIVE_ROLES) {
      if (!r.chance(role.p)) continue;
      const rel: Party = {
        truth: `relative:${v.label}:${role.label}`,
        kind: 'relative',
        account: `relative:${v.label}:${role.label}`,
        platform: role.platform,
        telegramId: role.platform === 'telegram' ? telegramId() : null,
        phone: role.platform === 'whatsapp' ? phone() : null,
        display: role.label,
      };
      v.usedLabels.add(role.label);
      const chat: Chat = { victim: v, peer: rel, saved: role.platform === 'whatsapp' ? role.label : null, messages: [] };
      v.chats.push(chat);
      const own = voice(r);
      const n = Math.max(2, sessions + r.int(-4, 4));
      for (let s = 0; s < n; s++) {
        const day = r.int(0, 364);
        let at = r.chance(0.8) ? evening(r, v.tz, day) : evening(r, v.tz, day, 8, 17);
        const turns = r.int(1, 4);
        for (let t = 0; t < turns; t++) {
          const fromVictim = t % 2 === 1;
          chat.messages.push({ at, from: fromVictim ? null : rel, text: fromVictim ? (r.chance(0.6) ? r.pick(VICTIM_CHAT_REPLIES) : chatter(r, victimVoice)) : chatter(r, own) });
          at += r.int(30, 900) * 1000;
        }
      }
      // Make sure the victim replied at least once (the export's owner is known from it).
      chat.messages.push({ at: evening(r, v.tz, r.int(0, 364)), from: null, text: r.pick(VICTIM_CHAT_REPLIES) });
      // New Year at midnight.
      if (r.chance(0.6)) {
        const at = utcOf(v.tz, 2022, 1, 1, 0, r.int(0, 3), r.int(0, 59));
        const withCard = images && role.platform === 'whatsapp' && r.chance(0.35);
        chat.messages.push({
          at,
          from: rel,
          text: r.pick(GREETING_NEW_YEAR_VARIANTS),
          ...(withCard ? { image: { data: r.chance(0.75) ? POSTCARD().copy : POSTCARD().original, picture: 'postcard' } } : {}),
        });
        chat.messages.push({ at: at + r.int(60, 1200) * 1000, from: null, text: r.pick(['С Новым годом! ❤️', 'И вас с Новым годом!', 'Спасибо, и тебя!']) });
      }
      // Good mornings.
      for (let k = r.chance(0.5) ? r.int(1, 4) : 0; k > 0; k--) {
        chat.messages.push({ at: evening(r, v.tz, r.int(0, 364), 7, 8), from: rel, text: r.pick(GREETING_MORNING_VARIANTS) });
      }
      // The viral chain text (mid-March, over three days).
      if (r.chance(0.5)) {
        const at = evening(r, v.tz, 72 + r.int(0, 2), 9, 15);
        if (role.platform === 'telegram') chat.messages.push({ at, from: rel, text: VIRAL, forwardedFrom: r.pick(VIRAL_CHANNELS) });
        else chat.messages.push({ at, from: rel, text: r.pick(VIRAL_VARIANTS) });
      }
      // The public hotline.
      if (r.chance(0.35)) {
        const text =
          hotlineMode === 'copies'
            ? r.pick(HOTLINE_PHRASES)
            : `${chatter(r, own)} ${r.pick(['Запиши:', 'Номер горячей линии', 'Вот телефон доверия:', 'Если что, звони', 'Сохрани номер'])} ${r.pick(['8 800 2000 122', '8-800-2000-122', '88002000122', '8 (800) 2000-122'])}`;
        chat.messages.push({ at: evening(r, v.tz, r.int(0, 364)), from: rel, text, wrote: [HOTLINE_E164] });
      }
    }
  }

  // Actors.
  const templatePool = r.shuffle(THREAT_TEMPLATES);
  const callbackPool = r.shuffle(CALLBACK_PHRASES);
  const telegramNames = r.shuffle(TELEGRAM_ACTOR_NAMES);
  const actors: TruthActor[] = [];
  let burstCounter = 0;
  for (let a = 0; a < actorCount; a++) {
    const actor = `actor${a + 1}`;
    const templates = templatePool.splice(0, r.int(2, 3));
    const callbackPhrase = callbackPool.shift()!;
    const nAccounts = r.int(2, 4);
    const platforms: Platform[] = [];
    // Both platforms: the first account is WhatsApp (its number is the callback), the second Telegram.
    for (let k = 0; k < nAccounts; k++) platforms.push(k === 0 ? 'whatsapp' : k === 1 ? 'telegram' : r.chance(0.5) ? 'telegram' : 'whatsapp');
    // The callback number is the first WhatsApp account's; the hub (account 1) is any account.
    const order = r.shuffle(platforms.map((_, i) => i));
    const accounts: AccountState[] = platforms.map((platform, k) => {
      const hub = order[0] === k;
      let profile = { T: true, C: true, B: true };
      if (!hub) {
        // The first Telegram account (account 2) always writes the callback number: actors advertise
        // their WhatsApp number from Telegram, and it keeps every actor linkable across platforms.
        const roll = k === 1 ? 0.25 + r.next() * 0.61 : r.next();
        profile =
          roll < 0.25 ? { T: true, C: false, B: true }
          : roll < 0.5 ? { T: true, C: true, B: false }
          : roll < 0.68 ? { T: false, C: true, B: true }
          : roll < 0.86 ? { T: true, C: true, B: true }
          : roll < 0.93 ? { T: true, C: false, B: false }
          : { T: false, C: false, B: true };
      }
      const nVictims = r.int(1, 3);
      const targets = r.sample(victims, nVictims).sort((x, y) => (x.label < y.label ? -1 : 1));
      const acc: AccountState = {
        truth: actor,
        kind: 'actor',
        account: `${actor}/acc${k + 1}`,
        platform,
        telegramId: platform === 'telegram' ? telegramId() : null,
        phone: platform === 'whatsapp' ? phone() : null,
        display: platform === 'telegram' ? (r.chance(0.8) ? telegramNames[(a * 2 + k) % telegramNames.length]! : r.pick(TELEGRAM_ACTOR_NAMES)) : '',
        actor,
        profile,
        victims: targets,
        saved: new Map(),
      };
      return acc;
    });
    const callbackOwner = accounts[0]!;
    const callback = callbackOwner.phone!;
    // WhatsApp views: unsaved (number shown) or saved under a label by that victim.
    for (const acc of accounts) {
      for (const v of acc.victims) {
        let label: string | null = null;
        if (acc.platform === 'whatsapp' && r.chance(0.3)) {
          const free = SAVED_THREAT_LABELS.filter((l) => !v.usedLabels.has(l));
          if (free.length > 0) {
            label = r.pick(free);
            v.usedLabels.add(label);
          }
        }
        acc.saved.set(v.label, label);
      }
    }
    const start = r.int(20, 260);
    const span = r.int(30, 70);
    const chats = new Map<string, Chat>();
    const chatOf = (acc: AccountState, v: VictimState): Chat => {
      const key = `${acc.account}|${v.label}`;
      let chat = chats.get(key);
      if (!chat) {
        chat = { victim: v, peer: acc, saved: acc.platform === 'whatsapp' ? acc.saved.get(v.label) ?? null : null, messages: [] };
        chats.set(key, chat);
        v.chats.push(chat);
      }
      return chat;
    };
    // The callback number in a different format each time it is written (five formats, in an order of the actor's own).
    const formats = r.shuffle([0, 1, 2, 3, 4]);
    let written = 0;
    const callbackText = (): string => writtenAs(callback, formats[written++ % formats.length]!);
    const obfuscated = new Set<string>();
    const threat = (acc: AccountState, v: VictimState, at: number, withCallback: boolean, burst?: number): Msg => {
      let text: string;
      let template: string | undefined;
      if (acc.profile.T) {
        template = r.pick(templates);
        text = template.replace('{name}', v.name);
        if (withCallback) text += ' ' + callbackPhrase.replace('{phone}', callbackText());
      } else {
        text = `${r.pick(ADHOC_A)} ${r.pick(ADHOC_B)}`;
        text = text[0]!.toUpperCase() + text.slice(1);
        if (withCallback) text += ` ${r.pick(CALLBACK_SHORT)} ${callbackText()}`;
      }
      // Each account's first threat carries a homoglyph and a zero-width space; later ones now and then.
      const first = !obfuscated.has(acc.account);
      obfuscated.add(acc.account);
      if (first || r.chance(0.45)) text = obfuscate(r, text, first);
      return { at, from: acc, text, ...(template ? { template } : {}), ...(withCallback ? { wrote: [callback.e164] } : {}), ...(burst !== undefined ? { burst } : {}) };
    };
    for (const acc of accounts) {
      for (const v of acc.victims) {
        const chat = chatOf(acc, v);
        const n = r.int(2, 4);
        const callbackAt = acc.profile.C ? r.int(0, n - 1) : -1;
        let day = start + r.int(0, span);
        for (let i = 0; i < n; i++) {
          const at = evening(r, v.tz, Math.min(day, 364), 19, 23);
          chat.messages.push(threat(acc, v, at, i === callbackAt));
          if (r.chance(0.35)) chat.messages.push({ at: at + r.int(60, 1800) * 1000, from: null, text: r.pick(VICTIM_REPLIES_TO_THREATS) });
          if (r.chance(0.25)) chat.messages.push({ at: at + r.int(1900, 3600) * 1000, from: acc, text: r.pick(ACTOR_SHORT) });
          if (r.chance(0.08)) chat.messages.push({ at: at + r.int(3700, 7200) * 1000, from: acc, text: r.pick(GENERIC_THREATS) });
          day += r.int(1, 9);
        }
      }
    }
    // Bursts: the accounts with timing write to different victims within the same minute.
    const bursters = accounts.filter((x) => x.profile.B);
    const nBursts = bursters.length >= 2 ? r.int(3, 4) : 0;
    for (let b = 0; b < nBursts; b++) {
      const burst = burstCounter++;
      const day = Math.min(364, start + r.int(0, span));
      const base = YEAR_START + day * DAY + r.int(16, 20) * 3_600_000 + r.int(0, 59) * 60_000 + r.int(0, 15) * 1000;
      const taken = new Set<string>();
      for (const acc of r.shuffle(bursters)) {
        const options = r.shuffle(acc.victims).filter((v) => !taken.has(v.label));
        const v = options[0];
        if (!v) continue;
        taken.add(v.label);
        const withCallback = acc.profile.C && r.chance(0.3);
        chatOf(acc, v).messages.push(threat(acc, v, base + r.int(0, 40) * 1000, withCallback, burst));
      }
    }
    // The actor's reused photo: the original to one victim, the re-encoded copy to another victim
    // through another account.
    if (images) {
      const photo = await actorPhoto(seed * 1000 + a);
      const [x, y] = [accounts[order[0]!]!, accounts[order[1]!]!];
      const vx = x.victims[0]!;
      const vy = y.victims.find((v) => v !== vx) ?? y.victims[0]!;
      const caption = r.pick(['Узнаёшь, кто это? Скоро увидишься с ним.', 'Это твой дом? Красивый.', 'Смотри внимательно. Мы рядом.', 'Фото на память. Следующее будет хуже.']);
      chatOf(x, vx).messages.push({ at: evening(r, vx.tz, Math.min(364, start + 3), 20, 22), from: x, text: caption, image: { data: photo.original, picture: `${actor}-photo` } });
      chatOf(y, vy).messages.push({ at: evening(r, vy.tz, Math.min(364, start + 9), 20, 22), from: y, text: caption, image: { data: photo.copy, picture: `${actor}-photo` } });
    }
    actors.push({
      id: actor,
      templates,
      callback: callback.e164,
      callbackPhrase,
      bursts: nBursts,
      accounts: accounts.map((acc) => ({
        id: acc.account,
        platform: acc.platform,
        profile: `${acc.profile.T ? 'T' : ''}${acc.profile.C ? 'C' : ''}${acc.profile.B ? 'B' : ''}`,
        victims: acc.victims.map((v) => v.label),
        telegramId: acc.telegramId,
        phone: acc.phone?.e164 ?? null,
        display: acc.display,
      })),
    });
  }

  // Lone harassers.
  for (let h = 0; h < harasserCount; h++) {
    const platform: Platform = r.chance(0.5) ? 'telegram' : 'whatsapp';
    const harasser: Party = {
      truth: `harasser${h + 1}`,
      kind: 'harasser',
      account: `harasser${h + 1}`,
      platform,
      telegramId: platform === 'telegram' ? telegramId() : null,
      phone: platform === 'whatsapp' ? phone() : null,
      display: platform === 'telegram' ? r.pick(['Правдоруб', 'Alex', 'Гражданин', 'Tony M.']) : '',
    };
    traps.harassers.push(harasser.truth);
    const v = r.pick(victims);
    const chat: Chat = { victim: v, peer: harasser, saved: null, messages: [] };
    v.chats.push(chat);
    let day = r.int(10, 330);
    for (const text of r.sample(GENERIC_THREATS, r.int(3, 5))) {
      const at = evening(r, v.tz, Math.min(364, day), 18, 23);
      chat.messages.push({ at, from: harasser, text });
      if (r.chance(0.3)) chat.messages.push({ at: at + r.int(60, 900) * 1000, from: null, text: r.pick(VICTIM_REPLIES_TO_THREATS) });
      day += r.int(0, 5);
    }
  }

  // Write the exports.
  mkdirSync(dir, { recursive: true });
  const truthByKey = new Map<string, TruthIdentity>();
  const truthVictims: TruthVictim[] = [];
  let messageCount = 0;
  let fileCount = 0;
  const keyOfView = new Map<string, string>(); // `${party.account}|${victim}` → identity key
  const addTruth = (key: string, kind: TruthKind, truth: string, account: string, victim: string, display: string): TruthIdentity => {
    let t = truthByKey.get(key);
    if (!t) {
      t = { key, kind, truth, account, victims: [], display, linkable: false, linkGroup: null, planted: { templates: [], wrote: [], owns: null, bursts: [], images: [] } };
      truthByKey.set(key, t);
    }
    if (t.truth !== truth) throw new Error(`generator bug: ${key} belongs to ${t.truth} and ${truth}`);
    if (!t.victims.includes(victim)) t.victims.push(victim);
    return t;
  };

  for (const v of victims) {
    const vdir = join(dir, v.label);
    mkdirSync(vdir, { recursive: true });
    writeFileSync(join(vdir, 'threatlens.json'), JSON.stringify({ tz: v.tz, region: 'RU' }, null, 1) + '\n');
    const files: string[] = [];
    let tgExports = 0;
    let waMedia = 0;
    for (const chat of v.chats) {
      chat.messages.sort((x, y) => x.at - y.at);
      messageCount += chat.messages.length;
      const peer = chat.peer;
      let peerKey: string;
      if (peer.platform === 'telegram') {
        tgExports++;
        const folder = tgExports === 1 ? 'ChatExport_2022-12-20' : `ChatExport_2022-12-20 (${tgExports - 1})`;
        const exportDir = join(vdir, folder);
        writeTelegram(exportDir, v, chat);
        files.push(`${v.label}/${folder}/result.json`);
        peerKey = `telegram:user${peer.telegramId}`;
        if (chat.messages.some((m) => m.from === null)) addTruth(`telegram:user${v.telegramId}`, 'self', `victim:${v.label}`, `victim:${v.label}/telegram`, v.label, v.full);
      } else {
        const written = v.whatsapp === 'android' ? writeAndroid(vdir, v, chat, () => ++waMedia) : writeIos(vdir, v, chat);
        files.push(`${v.label}/${written.file}`);
        // Saved names belong to the victim's address book on this platform (see senderScope).
        const scope = senderScope('whatsapp', v.label);
        peerKey = chat.saved !== null ? `name:${scope}:${chat.saved}` : `phone:${peer.phone!.e164}`;
        if (chat.messages.some((m) => m.from === null)) addTruth(`name:${scope}:${v.name}`, 'self', `victim:${v.label}`, `victim:${v.label}/whatsapp`, v.label, v.name);
      }
      fileCount++;
      const t = addTruth(peerKey, peer.kind, peer.truth, peer.account, v.label, chat.saved ?? peer.display ?? '');
      keyOfView.set(`${peer.account}|${v.label}`, peerKey);
      if (peer.phone && chat.saved === null) t.planted.owns = peer.phone.e164;
      for (const m of chat.messages) {
        if (m.from === null) continue;
        if (m.template && !t.planted.templates.includes(m.template)) t.planted.templates.push(m.template);
        for (const w of m.wrote ?? []) if (!t.planted.wrote.includes(w)) t.planted.wrote.push(w);
        if (m.burst !== undefined) t.planted.bursts.push(m.burst);
        if (m.image && !t.planted.images.includes(m.image.picture)) t.planted.images.push(m.image.picture);
        if (peer.kind === 'relative') {
          if (m.text.includes('Перешлите всем родным') && !traps.viralSenders.includes(peerKey)) traps.viralSenders.push(peerKey);
          if (m.wrote?.includes(HOTLINE_E164) && !traps.hotlineSenders.includes(peerKey)) traps.hotlineSenders.push(peerKey);
          if (m.image?.picture === 'postcard' && !traps.postcardSenders.includes(peerKey)) traps.postcardSenders.push(peerKey);
        }
      }
    }
    truthVictims.push({ label: v.label, name: v.name, tz: v.tz, whatsapp: v.whatsapp, files: files.sort() });
  }

  // Planted evidence between identities of one actor, and who is linkable.
  const identities = [...truthByKey.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const t of identities) {
    t.victims.sort();
    t.planted.templates.sort();
    t.planted.wrote.sort();
    t.planted.bursts.sort((a, b) => a - b);
    t.planted.images.sort();
  }
  const plantedPairs: PlantedPair[] = [];
  for (const actor of actors) {
    const members = identities.filter((t) => t.kind === 'actor' && t.truth === actor.id);
    const parent = new Map(members.map((m) => [m.key, m.key]));
    const find = (k: string): string => {
      while (parent.get(k) !== k) k = parent.get(k)!;
      return k;
    };
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const x = members[i]!;
        const y = members[j]!;
        const families: PlantedFamily[] = [];
        if (x.planted.templates.some((tpl) => y.planted.templates.includes(tpl))) families.push('text');
        const idShared =
          x.planted.wrote.some((w) => y.planted.wrote.includes(w)) ||
          (x.planted.owns !== null && y.planted.wrote.includes(x.planted.owns)) ||
          (y.planted.owns !== null && x.planted.wrote.includes(y.planted.owns));
        if (idShared) families.push('identifier');
        const together = new Set(x.planted.bursts.filter((b) => y.planted.bursts.includes(b)));
        if (together.size >= 2) families.push('timing');
        if (x.planted.images.some((p) => y.planted.images.includes(p))) families.push('image');
        if (families.length > 0) plantedPairs.push({ a: x.key, b: y.key, actor: actor.id, families });
        if (families.length >= 2) parent.set(find(x.key), find(y.key));
      }
    }
    const groups = new Map<string, TruthIdentity[]>();
    for (const m of members) groups.set(find(m.key), [...(groups.get(find(m.key)) ?? []), m]);
    let g = 0;
    for (const list of [...groups.values()].sort((p, q) => q.length - p.length || (p[0]!.key < q[0]!.key ? -1 : 1))) {
      if (list.length < 2) continue;
      g++;
      for (const m of list) {
        m.linkable = true;
        m.linkGroup = `${actor.id}#${g}`;
      }
    }
  }

  return {
    seed,
    dir,
    victims: truthVictims,
    actors,
    identities,
    plantedPairs,
    traps: {
      ...traps,
      viralSenders: traps.viralSenders.sort(),
      hotlineSenders: traps.hotlineSenders.sort(),
      postcardSenders: traps.postcardSenders.sort(),
    },
    messages: messageCount,
    files: fileCount,
  };
}

// ---------------------------------------------------------------------------------------------
// Writers

function isoLocal(ms: number, tz: string): string {
  const l = localOf(ms, tz);
  return `${l.y}-${pad(l.mo)}-${pad(l.d)}T${pad(l.h)}:${pad(l.mi)}:${pad(l.s)}`;
}

const PHONE_IN_TEXT = /(?:\+7|8)[\s(]*\d{3}[\s)]*\d{3}[\s-]*\d{2}[\s-]*\d{2}|8[\s-]?800[\s-]?\d{3,4}[\s-]?\d{2,3}(?:[\s-]?\d{2})?|(?:\+7|8)\s?\(\d{3}\)\s?\d{4}-\d{3}/g;

/** Telegram's text and text_entities: phone numbers become `phone` entities. */
function telegramText(text: string): { text: unknown; entities: { type: string; text: string }[] } {
  const entities: { type: string; text: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(PHONE_IN_TEXT)) {
    if (m.index! > last) entities.push({ type: 'plain', text: text.slice(last, m.index) });
    entities.push({ type: 'phone', text: m[0] });
    last = m.index! + m[0].length;
  }
  if (last < text.length) entities.push({ type: 'plain', text: text.slice(last) });
  if (entities.length === 0) entities.push({ type: 'plain', text: '' });
  const simple = entities.length === 1 && entities[0]!.type === 'plain';
  return { text: simple ? text : entities.map((e) => (e.type === 'plain' ? e.text : e)), entities };
}

function writeTelegram(exportDir: string, v: VictimState, chat: Chat): void {
  mkdirSync(exportDir, { recursive: true });
  const peer = chat.peer;
  let photos = 0;
  const messages = chat.messages.map((m, i) => {
    const fromName = m.from === null ? v.full : peer.display;
    const fromId = m.from === null ? `user${v.telegramId}` : `user${peer.telegramId}`;
    const out: Record<string, unknown> = {
      id: i + 1,
      type: 'message',
      date: isoLocal(m.at, v.tz),
      date_unixtime: String(Math.floor(m.at / 1000)),
      from: fromName,
      from_id: fromId,
    };
    if (m.forwardedFrom) out.forwarded_from = m.forwardedFrom;
    if (m.image) {
      photos++;
      const l = localOf(m.at, v.tz);
      const name = `photos/photo_${photos}@${pad(l.d)}-${pad(l.mo)}-${l.y}_${pad(l.h)}-${pad(l.mi)}-${pad(l.s)}.jpg`;
      mkdirSync(join(exportDir, 'photos'), { recursive: true });
      writeFileSync(join(exportDir, name), m.image.data);
      out.photo = name;
      out.photo_file_size = m.image.data.length;
      out.width = 640;
      out.height = 480;
    }
    const t = telegramText(m.text);
    out.text = t.text;
    out.text_entities = t.entities;
    return out;
  });
  const doc = { name: peer.display, type: 'personal_chat', id: Number(peer.telegramId), messages };
  writeFileSync(join(exportDir, 'result.json'), JSON.stringify(doc, null, 1));
}

const ANDROID_NOTICE =
  'Сообщения и звонки защищены сквозным шифрованием. Никто за пределами этого чата, даже WhatsApp, не может их прочитать или прослушать. Нажмите, чтобы узнать подробнее.';

function writeAndroid(vdir: string, v: VictimState, chat: Chat, nextMedia: () => number): { file: string; sha256: string } {
  const label = chat.saved ?? androidShown(chat.peer.phone!);
  const author = (m: Msg): string => (m.from === null ? v.name : label);
  const stamp = (ms: number): string => {
    const l = localOf(ms, v.tz);
    return `${pad(l.d)}.${pad(l.mo)}.${l.y}, ${pad(l.h)}:${pad(l.mi)}`;
  };
  const lines: string[] = [];
  if (chat.messages.length > 0) lines.push(`${stamp(chat.messages[0]!.at)} - ${ANDROID_NOTICE}`);
  for (const m of chat.messages) {
    let body = m.text;
    if (m.image) {
      const l = localOf(m.at, v.tz);
      const name = `IMG-${l.y}${pad(l.mo)}${pad(l.d)}-WA${pad(nextMedia(), 4)}.jpg`;
      writeFileSync(join(vdir, name), m.image.data);
      body = `${name} (файл добавлен)\n${m.text}`;
    }
    lines.push(`${stamp(m.at)} - ${author(m)}: ${body}`);
  }
  const file = `Чат WhatsApp с ${label}.txt`;
  const content = Buffer.from(lines.join('\n') + '\n', 'utf8');
  writeFileSync(join(vdir, file), content);
  return { file, sha256: createHash('sha256').update(content).digest('hex') };
}

const IOS_NOTICE = '\u200EСообщения и звонки защищены сквозным шифрованием. Никто за пределами этого чата, даже WhatsApp, не может их прочитать или прослушать.';

function writeIos(vdir: string, v: VictimState, chat: Chat): { file: string; sha256: string } {
  const shown = chat.saved ?? iosShown(chat.peer.phone!);
  const fileLabel = chat.saved ?? `+7 ${phoneParts(chat.peer.phone!).join(' ')}`;
  const stamp = (ms: number): string => {
    const l = localOf(ms, v.tz);
    return `[${pad(l.d)}.${pad(l.mo)}.${pad(l.y % 100)}, ${pad(l.h)}:${pad(l.mi)}:${pad(l.s)}]`;
  };
  const entries: { name: string; data: Buffer }[] = [];
  const lines: string[] = [];
  if (chat.messages.length > 0) lines.push(`${stamp(chat.messages[0]!.at - 5000)} ${shown}: ${IOS_NOTICE}`);
  let media = 0;
  for (const m of chat.messages) {
    const author = m.from === null ? v.name : shown;
    if (m.image) {
      media++;
      const l = localOf(m.at, v.tz);
      const name = `${pad(media, 8)}-PHOTO-${l.y}-${pad(l.mo)}-${pad(l.d)}-${pad(l.h)}-${pad(l.mi)}-${pad(l.s)}.jpg`;
      entries.push({ name, data: m.image.data });
      lines.push(`${stamp(m.at)} ${author}: \u200E<прикреплено: ${name}>`);
      if (m.text) lines.push(`${stamp(m.at)} ${author}: ${m.text}`);
      continue;
    }
    lines.push(`${stamp(m.at)} ${author}: ${m.text}`);
  }
  entries.unshift({ name: '_chat.txt', data: Buffer.from(lines.join('\n') + '\n', 'utf8') });
  const zip = makeZip(entries);
  const file = `WhatsApp Chat - ${fileLabel}.zip`;
  writeFileSync(join(vdir, file), zip);
  return { file, sha256: createHash('sha256').update(zip).digest('hex') };
}

/** A minimal deterministic zip writer (deflate, fixed 2022-12-20 10:00 timestamps, UTF-8 names). */
function makeZip(entries: { name: string; data: Buffer }[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const time = (10 << 11) | (0 << 5) | 0;
  const date = ((2022 - 1980) << 9) | (12 << 5) | 20;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const compressed = deflateRawSync(e.data);
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    chunks.push(local, name, compressed);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt16LE(time, 12);
    c.writeUInt16LE(date, 14);
    c.writeUInt32LE(crc >>> 0, 16);
    c.writeUInt32LE(compressed.length, 20);
    c.writeUInt32LE(e.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, centralBuf, end]);
}
