// Public web hosts: news sites, social networks, video and map services, search engines and
// government portals. A link to them is public content that unrelated people post and forward (a
// news story, a video, a map), never an identifier of the one who posts it. A personal page on a
// social network (vk.com/ivan_petrov, instagram.com/name) is: it names one person's account.
// Data only; the matching is in signals/identifiers.ts. Subdomains count as their host
// (m.vk.com, news.mail.ru).

export const PUBLIC_HOSTS: readonly string[] = [
  // International news
  'bbc.com', 'bbc.co.uk', 'cnn.com', 'reuters.com', 'apnews.com', 'nytimes.com', 'washingtonpost.com',
  'theguardian.com', 'dw.com', 'euronews.com', 'aljazeera.com', 'france24.com', 'bloomberg.com',
  'ft.com', 'economist.com', 'politico.eu', 'politico.com', 'voanews.com', 'rferl.org', 'svoboda.org',
  'currenttime.tv', 'bellingcat.com', 'occrp.org', 'amnesty.org', 'hrw.org',
  // Russian-language and regional news
  'meduza.io', 'novayagazeta.ru', 'novayagazeta.eu', 'rbc.ru', 'ria.ru', 'tass.ru', 'tass.com', 'lenta.ru',
  'kommersant.ru', 'interfax.ru', 'gazeta.ru', 'iz.ru', 'rg.ru', 'mk.ru', 'kp.ru', 'fontanka.ru', 'vedomosti.ru',
  'forbes.ru', 'tvrain.tv', 'tvrain.ru', 'echo.msk.ru', 'zona.media', 'ovdinfo.org', 'memo.ru', 'theins.ru',
  'istories.media', 'proekt.media', 'kavkaz-uzel.eu', 'kavkaz.realnoevremya.ru', 'chechnyatoday.com',
  'grozny-inform.ru', 'grozny.tv', 'riadagestan.ru', 'vesti.ru', 'smotrim.ru', '1tv.ru', 'ntv.ru', 'rt.com',
  'sputniknews.com', 'regnum.ru', 'life.ru', 'mash.ru', 'ura.news', 'znak.com', 'the-village.ru', 'dozhd.tv',
  'nastoyaschee-vremya.com', 'bbc.ru', 'radiosvoboda.org',
  // Social networks, video, messaging, search, maps
  'youtube.com', 'youtu.be', 'rutube.ru', 'vimeo.com', 'vk.com', 'vk.ru', 'vkontakte.ru', 'ok.ru', 'facebook.com',
  'fb.com', 'fb.watch', 'instagram.com', 'twitter.com', 'x.com', 't.co', 'tiktok.com', 'threads.net', 'reddit.com',
  'linkedin.com', 'pinterest.com', 'dzen.ru', 'zen.yandex.ru', 'telegram.org',
  'whatsapp.com', 'google.com', 'google.ru', 'goo.gl', 'maps.app.goo.gl', 'yandex.ru', 'ya.ru', 'yandex.com',
  'mail.ru', 'rambler.ru', 'yahoo.com', 'bing.com', 'msn.com', 'wikipedia.org', 'wikimedia.org', 'apple.com',
  '2gis.ru', 'openstreetmap.org',
  // Government portals
  'gosuslugi.ru', 'mos.ru', 'kremlin.ru', 'government.ru', 'mvd.ru', 'fsb.ru', 'sledcom.ru', 'genproc.gov.ru',
];

/**
 * Social hosts whose first path segment can be one person's page, and the segments that are not
 * (sections, posts, videos). `t.me` is handled as Telegram handles are.
 */
export const PROFILE_HOSTS: Readonly<Record<string, readonly string[]>> = {
  'vk.com': ['wall', 'video', 'photo', 'feed', 'im', 'away.php', 'share.php', 'club', 'public', 'event', 'clip', 'music', 'audio', 'doc', 'market', 'topic', 'board', 'search', 'login'],
  'ok.ru': ['video', 'group', 'game', 'dk', 'music', 'live', 'search'],
  'facebook.com': ['watch', 'share', 'sharer.php', 'groups', 'events', 'pages', 'photo', 'photo.php', 'video.php', 'story.php', 'permalink.php', 'reel', 'marketplace', 'login', 'help'],
  'instagram.com': ['p', 'reel', 'reels', 'tv', 'stories', 'explore', 'accounts', 'direct'],
  'twitter.com': ['i', 'search', 'hashtag', 'home', 'intent', 'share', 'explore', 'settings'],
  'x.com': ['i', 'search', 'hashtag', 'home', 'intent', 'share', 'explore', 'settings'],
  'tiktok.com': ['video', 'tag', 'music', 'discover', 'foryou', 't'],
  'youtube.com': ['watch', 'shorts', 'playlist', 'results', 'embed', 'live', 'feed', 'channel', 'c', 'user'],
};
