"""The boilerplate rule table: what berita removes from a page, and why.

A *line rule* removes a whole line when its pattern matches the entire (repaired) line,
case-insensitively. A *block rule* starts at a header line and may take the lines after it
(see :mod:`berita.transforms.strip`). Every rule names an example it must remove and a
near-miss body sentence it must keep; ``tests/test_rules.py`` checks both for every row.

Patterns are written for a *kind* of junk (a video promo, a page counter), not for one
outlet's exact string. They use bounded repetition only, so that a hostile 50 MB line cannot
make them backtrack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from berita.transforms import chardata

CATEGORIES = (
    "ad",  # advertising slots and their labels
    "ui",  # widget text: buttons, status words, image placeholders, separators
    "promo",  # the outlet promoting itself: channels, apps, newsletters, fact-check lines
    "video",  # "watch the video" promos and video embeds
    "pagination",  # page counters and next-page links
    "related",  # links to other articles, inline or as a block
    "copyright",  # copyright and syndication notices
    "comment",  # comment-section notices
    "byline",  # editor codes and similar credits that are not metadata we keep
    "metadata",  # lines lifted into article columns (title, date, dateline, section, authors...)
    "repeated",  # lines an outlet repeats across many articles (learned, rule id repeated.<outlet>)
    "caption",  # photo captions and credits the line model found among body lines (rule model.caption)
    "header",  # the page's title, deck or byline repeated among body lines (rule model.header)
)


@dataclass(frozen=True)
class Rule:
    """One row of the table. ``pattern`` is matched against the whole line (``None`` for rules
    that the parser applies, listed here so that every rule id in the audit table is documented)."""

    id: str
    category: str
    why: str
    example: str
    near_miss: str
    pattern: re.Pattern[str] | None = None
    block: str | None = None  # a header rule: the kind of block whose lines it takes ("related", "tags")
    # Lower-case words of which every match holds at least one: lines with none of them never try
    # the pattern (for a pattern that would otherwise scan the whole line, such as "...komentar ...
    # UU ITE..."). Gated rules also cost the common body line nothing beyond one substring search.
    needs: tuple[str, ...] = ()
    # A cheaper pattern that matches every line the rule can match (and more): the one-call test
    # that decides whether a line tries the rules at all uses it, and rules that share one are
    # tried there once. The rule's own pattern still decides.
    gate: str | None = None
    # Lines longer than this never match (a photo credit is short): the pattern says so with a
    # leading (?=.{0,max_len}$), and the one-call test for long lines leaves the rule out.
    max_len: int | None = None


# Platforms a share bar names, spelt as their buttons spell them.
_PLATFORMS = (
    r"whats\s?app|facebook|twitter|telegram|linkedin|e-?mail|copy\s*link|salin\s*(?:tautan|link)|pinterest|"
    r"messenger|instagram|threads|tiktok|line|link|wa|fb|x"
)


def _line(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.IGNORECASE)


def _short_line(regex: str, max_len: int) -> re.Pattern[str]:
    """A line rule for lines of at most ``max_len`` characters (see ``Rule.max_len``)."""
    return _line(rf"(?=.{{0,{max_len}}}$)(?:{regex})")


# A bullet, or the outlet's own name before its call to action ("Beritabaru.co Dapatkan aplikasi di Play Store").
_BULLET = r"(?:[*\u2022\-\u2013>]\s*|[A-Za-z][\w\-]{1,30}\.(?:com|co\.id|co|id|net|news|tv)\s+)?"
_CHANNELS = (
    r"(?:whatsapp|wa|telegram|google news|instagram|youtube|tiktok|twitter|x|facebook|line|"
    r"aplikasi|apps?|app store|play store|google play|channel|kanal|newsletter|notifikasi)"
)
_CTA_VERBS = (
    r"(?:follow|ikuti|gabung|bergabung|join|klik|click|kunjungi|unduh|download|subscribe|langganan|berlangganan|"
    r"dapatkan|cek|pantau|simak|baca|nikmati|install|aktifkan|temukan)"
)
# Outlet brands that are not domains ("kumparan", "CNN Indonesia"), as calls to action end with them
_BRANDS = f"(?:{chardata.BRAND_ALT})"
_CREDIT_MAX = 80  # a photo credit alone on its line is short
# Where every call to action starts: one gate for all the rules that start with one.
_CTA_GATE = _BULLET + r"(?:" + _CTA_VERBS + r"|daftar|yuk|ayo|mari|jangan|pastikan|lihat)\b.*"
# A reported sentence ("..., kata panitia.") is body, however much it sounds like a promo.
_NOT_REPORTED = (
    r"(?!.{0,400}?\b(?:kata(?!\s+kunci)|ujar|ujarnya|katanya|tutur|tuturnya|ucap|ucapnya|jelasnya|imbuhnya|"
    r"tambahnya)\b)"
)
# What may come before the verb: "Jangan lewatkan berita terbaru, ikuti ...", "Yuk, follow ..."
_LEAD_IN = r"(?:(?:jangan\s{1,3}(?:lewatkan|lupa)|yuk|ayo|mari)(?:\W{1,5}\w{1,40}){0,5}?\W{1,5})?"
# "Then at most n more words". Each word must be taken whole (a separator is required before
# the next one), so there is only one way to match and no backtracking blow-up.
_MORE_WORDS = r"(?:\W{{1,5}}\w{{1,40}}){{0,{n}}}"
_WORDS_UP_TO = _MORE_WORDS + r"\W{{0,5}}"

RULES: tuple[Rule, ...] = (
    Rule(
        "ad.marker",
        "ad",
        "Label of an advertising slot left in the text by the extractor.",
        "Advertisement",
        "Iklan rokok dilarang tayang di televisi sebelum pukul 21.30.",
        _line(
            r"[\s\-\[(|]{0,5}(?:advertisement|advertising|advertorial|iklan|ads|sponsored|sponsor|"
            r"scroll to continue with content|scroll untuk melanjutkan(?: membaca)?|konten promosi)[\s\-\])|]{0,5}"
        ),
    ),
    Rule(
        "ui.widget_word",
        "ui",
        "A lone word from a button, status message or image placeholder.",
        "Sukses",
        "Sukses itu diraih setelah tim bekerja keras selama tiga tahun.",
        _line(
            r"(?:sukses|berhasil|gagal|loading|memuat|tutup|close|x|bagikan|share|tweet|komentar|"
            r"salin(?: tautan| link)?|copy(?: link)?|tautan disalin|link copied|image|img|gambar|foto|"
            r"photo|video|print|cetak|ukuran font|font|a\+|a-|zoom|play|putar|kembali|back|beranda|home|"
            r"lihat foto|lihat semua|tampilkan semua|(?:baca |lihat )?selengkapnya|more|muat lebih banyak|load more|"
            r"kirim|send|submit|login|log in|masuk|daftar|daftar sekarang|register|newsletter|berlangganan|"
            r"langganan|subscribe)[.!\s]{0,3}"
        ),
    ),
    Rule(
        "ui.symbols",
        "ui",
        "A line with no letters or digits: separators, end marks, lone bullets.",
        "***",
        "3 dari 5 korban telah dipulangkan ke rumah masing-masing.",
        re.compile(r"[^\w]{1,200}"),
    ),
    Rule(
        "ui.share_widget",
        "ui",
        "Share-bar text: 'Bagikan artikel ini', 'Share this article'.",
        "Bagikan artikel ini",
        "Warga diminta membagikan informasi itu kepada tetangga mereka.",
        _line(
            r"(?:bagikan|share)(?: (?:artikel|berita|this|ini|ke|to|via))*(?: article| artikel ini)?\s*:?"
            r"(?:\s*(?:facebook|twitter|x|whatsapp|wa|telegram|line|linkedin|email|copy link)\W{0,3}){0,8}"
        ),
    ),
    Rule(
        "ui.share_buttons",
        "ui",
        "A row of share buttons: platform names and share words only, glued or spaced.",
        "Share Whatsapp Share Facebook Share Twitter Share Link",
        "Facebook dan Twitter membagikan data pengguna kepada pengiklan, kata peneliti.",
        # three or more buttons' words, each taken whole (an atomic group: no backtracking into a word)
        _line(rf"(?:(?>share|bagikan|sebarkan|kirim|via|{_PLATFORMS})[\W_]*+){{3,24}}"),
    ),
    Rule(
        "promo.notification",
        "promo",
        "A push-notification prompt: 'Aktifkan Notifikasimu', 'Jadilah yang pertama menerima update berita ...'.",
        "Aktifkan Notifikasimu",
        "Pemerintah meminta warga mengaktifkan notifikasi peringatan dini gempa di ponsel mereka.",
        _line(
            r"(?:aktifkan|izinkan|nyalakan|allow)\s+(?:notifikasi|notification)\w*(?:\s+\w+){0,4}\W{0,3}"
            r"|jadilah\s+(?:yang\s+)?(?:pertama|orang\s+pertama)\s+(?:yang\s+)?(?:menerima|mendapatkan|tahu|membaca)"
            r".{0,120}"
        ),
    ),
    Rule(
        "ui.search_box",
        "ui",
        "A search box's placeholder: 'Ketik yang Anda cari', 'Cari berita', 'Ketik kata kunci lalu Enter'.",
        "Ketik yang Anda cari",
        "Ketik yang Anda cari, kata petugas kepada warga yang mengantre di loket pelayanan itu.",
        _line(
            r"(?:ketik(?:kan)?|masukkan|tulis)\s+(?:yang\s+(?:anda|kamu)\s+cari|kata\s+kunci(?:\s+\w+){0,4}|pencarian)"
            r"\W{0,5}|cari(?:\s+(?:berita|artikel|di\s+sini))?\W{0,5}|search(?:\s+for)?\W{0,5}"
        ),
    ),
    Rule(
        "ui.comment_prompt",
        "ui",
        "A comments box's prompt, or a poll's vote count: 'Apa komentar anda?', '1575 votes'.",
        "Apa komentar anda ?",
        "Apa komentar anda tentang kebijakan itu, tanya wartawan kepada menteri di Jakarta kemarin.",
        _line(
            r"(?:apa|bagaimana)\s+(?:komentar|pendapat|tanggapan)\s+(?:anda|kamu|sobat)\s*\??"
            r"|(?:tulis|beri(?:kan)?|kirim)\s+komentar(?:\s+(?:anda|kamu))?\s*:?|\d[\d.,]*\s+votes?"
        ),
    ),
    Rule(
        "video.promo",
        "video",
        "'Watch the video' prompts between paragraphs (short, no running text).",
        "Saksikan video pilihan berikut ini:",
        "Saksikan video itu, kata dia, maka warga akan paham betapa mencekam suasana malam itu di pelabuhan.",
        _line(
            _BULLET + r"(?:saksikan|simak|tonton|lihat|putar|jangan\s{1,3}lewatkan)(?:\s{1,3}(?:juga|pula))?[!:]?"
            r"\s+(?:(?:juga|pula|ini)\s{1,3})?(?:video|live streaming|siaran)\b" + _WORDS_UP_TO.format(n=10)
        ),
    ),
    Rule(
        "video.embed",
        "video",
        "Placeholder of an embedded video player, e.g. '[Gambas:Video CNN]'.",
        "[Gambas:Video CNN]",
        "Video itu [direkam warga] beredar luas di media sosial pada Senin malam.",
        _line(r"\[\s*(?:gambas|video|embed)\s*:[^\]]{0,80}\]|\(\s*video\s*:[^)]{1,60}\)"),
    ),
    Rule(
        "related.baca_juga",
        "related",
        "An inline 'Baca juga: <title>' link; the title is kept in related_links.",
        "Baca Juga: Presiden Putin dan Yevgeny Prigozhin Saling Membutuhkan",
        "Baca buku itu, kata dia, maka Anda akan paham sejarah kota ini.",
        _line(
            _BULLET + r"(?:(?:(?:di)?baca|lihat|simak)(?:\s{1,3}(?:juga|pula|lainnya))?\s{0,3}[:\uff1a]"
            r"|(?:pilihan\s{1,3}(?:editor|redaksi)|rekomendasi\s{1,3}(?:editor|redaksi))\s{0,3}[:\uff1a]"
            r"|(?:(?:di)?baca|lihat|simak)\s{1,3}(?:juga|pula)\s{0,3}[\-\u2013\u2014>]{1,2}"
            # "Baca Juga Peran Satgas ...": no mark at all, then a headline (a capital, case kept)
            r"|(?:di)?baca\s{1,3}juga\s{1,3}(?=(?-i:[A-Z0-9\"\u201c]))"
            r"|(?:next|previous|prev)\s{1,3}(?:article|story|news|post)\s{0,3}[:\uff1a\-\u2013\u2014>]?)\s*(?P<title>\S.{2,300})"
        ),
    ),
    Rule(
        "promo.call_to_action",
        "promo",
        "The outlet asking readers to follow a channel, install an app or read more on a platform.",
        "* Follow Official WhatsApp Channel Liputan6.com untuk mendapatkan berita-berita terkini dengan mengklik tautan ini.",
        "Polisi mengikuti jejak pelaku melalui percakapan WhatsApp yang ditemukan di ponsel korban.",
        _line(
            _NOT_REPORTED
            + _BULLET
            + _LEAD_IN
            + _CTA_VERBS
            + _MORE_WORDS.format(n=12)
            + r"\W{1,5}"
            + _CHANNELS
            + r"\b"
            + _WORDS_UP_TO.format(n=30)
        ),
        gate=_CTA_GATE,
    ),
    Rule(
        "promo.outlet_updates",
        "promo",
        "The outlet offering its updates: a call to action that ends by naming the outlet's domain.",
        "Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com.",
        "Dapatkan bantuan hukum gratis di kantor lembaga itu, kata dia kepada wartawan di Jakarta.",
        _line(
            _NOT_REPORTED
            + _BULLET
            + _CTA_VERBS
            + _MORE_WORDS.format(n=15)
            + r"\s{1,3}(?:dari|di|hanya di|bersama|melalui|lewat)\s{1,3}"
            + r"(?:[A-Za-z][A-Za-z0-9\-]{0,40}(?:\.[A-Za-z]{2,6}){1,2}|"
            + _BRANDS
            + r")\W{0,3}"
        ),
        gate=_CTA_GATE,
    ),
    Rule(
        "promo.starred_notice",
        "promo",
        "An asterisk-led notice sending readers elsewhere (fact-check hotline, links, numbers).",
        "* Fakta atau Hoaks? Untuk mengetahui kebenaran informasi yang beredar, silakan WhatsApp ke nomor Cek Fakta Liputan6.com 0811 9787 670 hanya dengan ketik kata kunci yang diinginkan.",
        "Fakta atau hoaks, kata dia, harus diperiksa sebelum dibagikan kepada orang lain.",
        _line(
            r"\*\s*\w{1,40}"
            + _MORE_WORDS.format(n=40)
            + r"\W{1,5}(?:whatsapp|tautan|klik|link|nomor|hotline|download|unduh)\b"
            + _WORDS_UP_TO.format(n=40)
        ),
    ),
    Rule(
        "pagination.page_of",
        "pagination",
        "Page counters of articles split over several pages.",
        "2 dari 2 halaman",
        "Dari 2 halaman dokumen itu, polisi menemukan bukti baru soal aliran dana.",
        _line(
            r"(?:halaman|page)?\s{0,3}\d{1,3}\s{0,3}(?:dari|of|/)\s{0,3}\d{1,3}(?:\s{0,3}(?:halaman|pages?))?"
            r"|(?:halaman|page)\s{0,3}:?\s{0,3}[\d\s]{1,40}"
            r"(?:lihat semua|tampilkan semua|show all|selanjutnya|berikutnya|next)?\W{0,3}"
            r"|(?:halaman|page)\s(?:selanjutnya|berikutnya|sebelumnya|next|previous)\W{0,3}"
            r"|(?:selanjutnya|berikutnya|next|sebelumnya|prev(?:ious)?)\s{0,3}[>\u00bb\u203a]{1,2}"
        ),
    ),
    Rule(
        "ui.tags_header",
        "ui",
        "Header of a tag list ('Tags', 'Topik'); the short tag lines after it go too "
        "(see ui.tag; a sentence after it is body and stays).",
        "Tags",
        "Tag nama itu ditulis dengan cat merah di dinding gedung sekolah.",
        _line(r"(?:tags?|tagar|topik|topics?|tag terkait|kata kunci|keywords?)\s{0,3}:?"),
        block="tags",
    ),
    Rule(
        "ui.tag",
        "ui",
        "A tag after a tag-list header: a few words, no sentence (applied by the stripper).",
        "Tags\n\nBandung\n\nparkir",
        "",
    ),
    Rule(
        "related.header",
        "related",
        "Header of a related-articles list; headline-like lines after it are taken as links "
        "(a full sentence after it is body and stays).",
        "Berita Terkait",
        "Berita terkait banjir itu ramai dibagikan warganet sejak Senin pagi.",
        _line(
            r"(?:baca\s+(?:juga|pula)|berita\s+(?:terkait|lainnya|lain|populer|pilihan|terbaru|terpopuler|rekomendasi)|"
            r"topik\s+(?:pilihan|populer|terpopuler|hangat)|"
            r"artikel\s+(?:terkait|lainnya|pilihan)|terpopuler|populer|terkini|rekomendasi(?:\s+untuk\s+(?:anda|kamu))?|"
            r"pilihan\s+(?:editor|redaksi)|lihat\s+juga|(?:artikel|berita)\s+(?:selanjutnya|berikutnya|sebelumnya)|simak\s+juga|topik\s+terkait|related(?:\s+(?:news|articles?))?|"
            r"read\s+more|more\s+stories|also\s+read|jangan\s+lewatkan|jangan\s+sampai\s+ketinggalan|"
            r"(?:baca|berita|artikel)\s+menarik\s+lainnya)\s{0,3}[:!]{0,3}"
        ),
        block="related",
    ),
    Rule(
        "related.block",
        "related",
        "A line of a related-articles block (title, age, teaser, 'Baca Selengkapnya').",
        "Berita terkait\n\nMengenal Stasiun Luar Angkasa Internasional atau ISS\n\n3 hari lalu\n\nBaca Selengkapnya",
        "Berita terkait banjir itu ramai dibagikan warganet sejak Senin pagi.",
    ),
    Rule(
        "ui.breadcrumb",
        "ui",
        "A breadcrumb trail of site sections.",
        "Home > News > Nasional",
        "Harga naik 5% > dari target, kata menteri keuangan kepada wartawan di Jakarta.",
        re.compile(
            r"(?i:home|beranda|news|berita|index|indeks)\s{0,3}[>\u203a\u00bb/|]\s{0,3}[\w&.' -]{1,30}"
            r"(?:\s{0,3}[>\u203a\u00bb/|]\s{0,3}[\w&.' -]{1,30}){0,6}"
        ),
    ),
    Rule(
        "copyright.notice",
        "copyright",
        "Copyright lines and rights reservations.",
        "COPYRIGHT \u00a9 ANTARA 2023",
        "Hak cipta lagu itu, menurut pengacaranya, sudah didaftarkan sejak 2019 di kantor Kementerian Hukum.",
        _line(
            r"(?:copyright|\u00a9|\(c\))\s{0,3}"
            + _WORDS_UP_TO.format(n=15)
            + r"|(?:hak cipta dilindungi|all rights reserved)"
            + _WORDS_UP_TO.format(n=10)
        ),
    ),
    Rule(
        "copyright.syndication",
        "copyright",
        "Notice that the article first ran elsewhere under another title.",
        'Artikel ini telah tayang di Kompas.com dengan judul "Banjir Rendam Tegal".',
        "Artikel ini, kata dia, akan dibahas dalam rapat redaksi pekan depan bersama pemimpin redaksi.",
        _line(
            r"(?:artikel|berita|tulisan|konten) ini (?:telah |sudah )?(?:tayang|terbit|naik|dimuat|diterbitkan|ditayangkan)"
            r"(?: lebih dulu| pertama kali)? (?:di|pada|oleh)\b.{0,400}"
        ),
    ),
    Rule(
        "copyright.read_original",
        "copyright",
        "A syndicated copy's link back to the original: 'Baca artikel detiknews, \"...\" selengkapnya https://...'.",
        'Baca artikel detiknews, "Polisi Tangkap Pengedar Sabu" selengkapnya https://news.detik.com/berita/d-7238871/a',
        "Baca artikel itu selengkapnya, kata dia, sebelum menilai isinya di media sosial.",
        _line(
            r"(?:baca|simak|lihat)\s{1,3}(?:artikel|berita)\b.{1,300}?\bselengkapnya\W{0,5}"
            r"(?:(?:di\s{1,3})?(?:https?://|www\.)\S{1,300})?"
        ),
    ),
    Rule(
        "comment.notice",
        "comment",
        "Comment-section rules ('... sesuai UU ITE').",
        "Komentar yang tidak sesuai dengan etika dan melanggar UU ITE akan dihapus.",
        "Ia dijerat dengan UU ITE karena menyebarkan kabar bohong di media sosial.",
        _line(
            r"(?:.{0,300}\bkomentar\b.{0,300}\b(?:uu ite|sara|dihapus|tanggung jawab)\b.{0,200}"
            r"|(?:tulis|kirim|berikan|lihat|tampilkan|muat)\s+komentar\W{0,3}(?:\(\d{1,6}\))?"
            r"|komentari\s+(?:artikel|berita|tulisan)(?:\s+ini)?\W{0,3}"
            r"|\d{1,6}\s+komentar|komentar\s{0,3}\(\d{1,6}\))"
        ),
        needs=("komentar",),
    ),
    Rule(
        "ui.continue_reading",
        "ui",
        "A prompt to scroll or read on past an ad slot: 'Gulir ke bawah untuk melanjutkan membaca'.",
        "Lanjutkan membaca artikel di bawah",
        "Lanjutkan membaca buku itu, kata guru, agar siswa terbiasa memahami bacaan panjang.",
        _line(
            r"[\s\-\[(|]{0,5}(?:(?:gulir|scroll|geser)(?:\s{1,3}ke\s{1,3}bawah)?\s{1,3}(?:untuk\s{1,3})?"
            r"(?:melanjutkan|lanjutkan|lanjut|continue)(?:\s{1,3}(?:membaca|baca|reading))?"
            r"|(?:lanjutkan|lanjut|continue)\s{1,3}(?:membaca|baca|reading))"
            r"(?:\s{1,3}(?:artikel|berita|konten|content))?(?:\s{1,3}(?:ini|di\s{1,3}bawah(?:\s{1,3}ini)?|berikut|below))?"
            r"[\s\-\])|.:>\u00bb\u2193\u25bc]{0,5}"
        ),
    ),
    Rule(
        "video.title",
        "video",
        "The title of an embedded video, printed as 'Video: <title>' (a headline, not a sentence).",
        "Video: Harga Emas Antam Melonjak, Ini Penyebabnya",
        "Video: rekaman kamera pengawas memperlihatkan pelaku masuk lewat jendela belakang rumah.",
        _line(_BULLET + r"(?:video|vidio)\s{0,3}[:\uff1a]\s{0,3}\S.{1,200}(?<![.!?,;:])"),
    ),
    Rule(
        "promo.click_here",
        "promo",
        "A call to action with a 'click here' link: 'Baca berita dengan sedikit iklan, klik di sini'.",
        "Baca berita dengan sedikit iklan, klik di sini",
        'Pesan penipu itu berbunyi "klik di sini untuk klaim hadiah", kata polisi kepada wartawan.',
        _line(
            _BULLET
            + r"(?:"
            + _CTA_VERBS
            + r"|daftar|yuk|ayo|mari)\b(?:[^\"\u201c\u201d]{0,300}?\b(?:meng)?(?:klik|click))?\s{0,3}"
            r"(?:di\s{0,3}sini|disini|here|(?:link|tautan)\s{1,3}(?:ini|berikut|di\s{1,3}bawah(?:\s{1,3}ini)?))"
            r'\b[^"\u201c\u201d]{0,300}'
        ),
        gate=_CTA_GATE,
    ),
    Rule(
        "promo.click_prompt",
        "promo",
        "A short line that ends by asking the reader to click (no call-to-action verb first): a link's prompt.",
        "Untuk melihat lebih banyak content Jubi TV, click here!",
        "Warga diminta mengeklik tautan resmi dan tidak membuka pesan dari nomor yang tidak dikenal.",
        _short_line(
            r".{0,120}?\b(?:klik|click|tap|ketuk)\s{1,3}(?:di\s{0,3}sini|here|tautan\s{1,3}ini|link\s{1,3}ini|"
            r"link\s{1,3}berikut|tautan\s{1,3}berikut)\W{0,3}",
            160,
        ),
        needs=("klik", "click", "tap", "ketuk"),
    ),
    Rule(
        "promo.more_here",
        "promo",
        "A short call to action that ends by pointing at a link: 'Simak berita lainnya ..., di sini'.",
        "Simak berita lainnya seputar topik artikel ini, di sini",
        "Simak baik-baik pesan saya di sini, kata ayahnya sebelum berangkat merantau ke Malaysia.",
        _line(_BULLET + _CTA_VERBS + _MORE_WORDS.format(n=10) + r"\W{1,5}(?:di\s?sini|here)\W{0,3}"),
        gate=_CTA_GATE,
    ),
    Rule(
        "promo.channel_pitch",
        "promo",
        "The outlet pitching its WhatsApp, Telegram or Google News channel to the reader, with a link.",
        "Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran andalanmu akses "
        "berita Kompas.com WhatsApp Channel : https://www.whatsapp.com/channel/0029VaFPbedBPzjZrk13HO3D. "
        "Pastikan kamu sudah install aplikasi WhatsApp ya.",
        "Polisi menyebut pelaku menyebarkan tautan penipuan itu lewat grup WhatsApp warga di kompleks.",
        _line(
            _BULLET + r"(?=(?:" + _CTA_VERBS + r"|yuk|ayo|mari|jangan\s{1,3}lewatkan|pastikan)\b)"
            r"(?=.{0,600}?\b(?:kamu|anda|kalian|ponselmu|sobat|(?:mari|yuk|ayo)\s{1,3}(?:ber)?gabung)\b)"
            r"(?=.{0,600}?(?:https?://|www\.|\bklik\b|\btautan\b|\blink\b))"
            r"(?=.{0,600}?\b(?:(?:whatsapp|wa|telegram)\s{1,3}(?:channel|group|grup)"
            r"|(?:saluran|kanal|grup|channel)\s{1,3}(?:whatsapp|wa|telegram)|google\s{1,3}news)\b)"
            r".{1,1000}"
        ),
        gate=_CTA_GATE,
    ),
    Rule(
        "copyright.no_crawling",
        "copyright",
        "A notice forbidding copying, crawling or indexing of the site's content.",
        "Dilarang keras mengambil konten, melakukan crawling atau pengindeksan otomatis untuk AI di situs web "
        "ini tanpa izin tertulis dari Kantor Berita ANTARA.",
        "Warga dilarang mendirikan bangunan di bantaran sungai tanpa izin tertulis dari pemerintah kota.",
        _line(
            r"dilarang\b.{0,300}?\b(?:crawling|pengindeksan|scraping|situs(?:\s{1,3}web)?\s{1,3}ini"
            r"|website\s{1,3}ini|laman\s{1,3}ini)\b.{0,300}"
        ),
    ),
    Rule(
        "ui.social_embed",
        "ui",
        "What an embedded Instagram, X/Twitter or TikTok post leaves in the text: its prompts, "
        "attribution and picture links.",
        "A post shared by Kementerian Kesehatan RI (@kemenkes_ri)",
        "Unggahan itu dibagikan oleh akun Instagram resmi kementerian pada Senin malam.",
        _line(
            r"(?:view|lihat)\s{1,3}(?:this\s{1,3}post|postingan\s{1,3}ini)\s{1,3}(?:on|di)\s{1,3}"
            r"(?:instagram|tiktok|twitter|x|facebook)\W{0,3}"
            r"|(?:a\s{1,3}post\s{1,3}shared\s{1,3}by|sebuah\s{1,3}kiriman\s{1,3}dibagikan\s{1,3}oleh)\b.{1,200}"
            r"|(?:pic\.twitter\.com|t\.co)/\w{1,40}"
            r"|[\u2014\u2013\-]{1,2}\s{0,3}[^()\n]{1,80}\(@\w{1,40}\)\s{0,3}\w{3,9}\.?\s{1,3}\d{1,2},?\s{1,3}\d{4}"
        ),
    ),
    Rule(
        "ui.tweet_text",
        "ui",
        "The text of an embedded tweet, flattened into the page: it ends with its picture link.",
        "BI Rate tetap 6%. Simak konferensi pers RDG Mei 2024 pic.twitter.com/Qw3ErT",
        "Unggahan itu, yang kini dihapus, sempat dibagikan ribuan kali oleh warganet di media sosial.",
        _line(r".{1,400}?\bpic\.twitter\.com/\w{1,40}\W{0,3}"),
        needs=("pic.twitter",),
    ),
    Rule(
        "ui.hashtags",
        "ui",
        "A line of hashtags only.",
        "#puncak-bogor #lalu-lintas #libur-lebaran",
        "#2 di klasemen, tim itu kini berjarak tiga poin dari pemuncak liga.",
        re.compile(r"(?:#[\w\-]{1,60}[\s,]{0,3}){1,30}"),
    ),
    Rule(
        "ui.tag_list",
        "ui",
        "A tag list on one line: 'Tag: campak, imunisasi, kemenkes' (no sentence punctuation).",
        "Tag: campak, imunisasi, kemenkes",
        "Topik: pemerintah akan membahas anggaran itu pada rapat kabinet pekan depan.",
        _line(
            r"(?:tags?|tagar|topik(?:\s{1,3}terkait)?|topics?|kata\s{1,3}kunci|keywords?)\s{0,3}:\s{0,3}"
            r"[^.!?,;|:]{1,40}(?:\s{0,3}[,;|]\s{0,3}[^.!?,;|:]{1,40}){0,30}"
        ),
    ),
    Rule(
        "copyright.disclaimer",
        "copyright",
        "A disclaimer that the writer, not the outlet, answers for the text (community and opinion pages).",
        "IDN Times Community adalah media yang menyediakan platform untuk menulis. Semua artikel yang "
        "dipublikasikan di sini merupakan tanggung jawab penulis.",
        "Ia menegaskan kerugian akibat kecelakaan itu menjadi tanggung jawab perusahaan angkutan.",
        _line(
            r".{0,400}?\b(?:(?:merupakan|menjadi|adalah|sepenuhnya)\s{1,3}tanggung\s{1,3}jawab "
            r"(?:dari\s{1,3})?(?:penulis|pengirim|kontributor|pembuat|penyusun)|disclaimer\s{0,3}:).{0,400}"
            # the right of reply: "Catatan Redaksi: Apabila ada pihak yang merasa dirugikan ... hak jawab", and
            # its line citing the press law on its own
            r"|catatan\s{1,3}redaksi\s{0,3}:.{0,300}?\b(?:hak\s{1,3}jawab|dirugikan|keberatan)\b.{0,500}"
            r"|sebagaimana\s{1,3}(?:diatur|dimaksud)\s{1,3}dalam\s{1,3}.{0,80}?(?:undang-undang|uu)\s{1,3}"
            r"(?:nomor|no\.?)\s{0,3}40\s{1,3}tahun\s{1,3}1999\s{1,3}tentang\s{1,3}pers\W{0,3}"
        ),
        needs=("jawab ", "disclaimer", "redaksi", "1999"),
    ),
    Rule(
        "byline.editor_code",
        "byline",
        "Editor's initials on their own line: '(nvc/ita)', '(ant/jpnn)', '(OL-11)'.",
        "(nvc/ita)",
        "(Dia datang terlambat karena macet.)",
        re.compile(
            r"[\[(]\s{0,2}(?:[a-z]{1,5}(?:\s{0,2}/\s{0,2}[a-z]{1,6}){0,3}|[A-Z]{2,5}(?:/[A-Z]{2,6}){0,3}"
            r"|[A-Z]{1,4}-\d{1,3})\s{0,2}[\])]\.?"
        ),
    ),
    Rule(
        "byline.credit_header",
        "byline",
        "Header of a credits box ('Editorial Team', 'Tim Redaksi'); the names go as bylines.",
        "Editorial Team",
        "Tim redaksi itu bekerja hingga larut malam untuk menyelesaikan laporan khusus.",
        _line(r"(?:editorial team|tim redaksi|tim editorial|redaksi|credits?)\s{0,3}:?"),
    ),
    Rule(
        "byline.photo_credit",
        "byline",
        "A photo credit or its label alone on a line: 'Photo :', 'VIVA.co.id/Anisa Aulia', 'ANTARA FOTO/Galih'.",
        "VIVA.co.id/Anisa Aulia",
        "Jakarta/Bandung menjadi dua kota dengan kenaikan harga tertinggi bulan ini, kata BPS.",
        _short_line(
            r"[(\[]?\s{0,2}(?:foto|photo|dok(?:umentasi)?\.?|ilustrasi|sumber\s{1,3}foto|image)\s{0,3}:?\s{0,2}[)\]]?"
            r"|[(\[]?\s{0,2}(?:(?:foto|photo)(?:\s{1,3}(?:ilustrasi|dok(?:umentasi)?\.?|istimewa))?"
            r"\s{0,3}:\s{0,3})?(?-i:[A-Z][\w.\-]{1,30}+(?:\s{1,2}[A-Z][\w.\-]{0,30}+){0,3}+"
            r"\s{0,2}/\s{0,2}[A-Z][\w.'\-]{0,30}+(?:\s{1,2}[A-Z][\w.'\-]{0,30}+){0,4}+)\s{0,2}[)\]]?",
            _CREDIT_MAX,
        ),
        max_len=_CREDIT_MAX,
    ),
    Rule(
        "pagination.teaser",
        "pagination",
        "The unfinished first line of the next page, printed after a next-page link at the end.",
        "Halaman Selanjutnya\n\nGubernur bank sentral itu mengatakan, laju inflasi",
        "",
    ),
    Rule(
        "ad.inline",
        "ad",
        "An ad label glued into a paragraph ('... produksi. ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT "
        "Pemerintah ...'): cut out, and the paragraph's two halves kept (applied by the stripper).",
        "Pasokan berkurang. ADVERTISEMENT Pemerintah berjanji menggelar operasi pasar.",
        "",
    ),
    Rule(
        "related.inline",
        "related",
        "A 'Baca juga: <title>' glued to the end of a paragraph: cut off, the title kept in related_links "
        "(applied by the stripper).",
        "Harga cabai naik tajam pekan ini, kata pedagang. Baca Juga: Harga Bawang Merah Ikut Naik",
        "",
    ),
    # --- Applied by the parser, which lifts these lines into article columns. ---
    Rule("meta.title", "metadata", "The headline, kept in articles.title.", "", ""),
    Rule("meta.lede", "metadata", "The deck under the headline, kept in articles.lede.", "", ""),
    Rule(
        "meta.header",
        "header",
        "A line above the first paragraph that is no title, date, byline, section, caption or deck (a label, a "
        "widget, a headline of another article): out of the body and of every column.",
        "",
        "",
    ),
    Rule(
        "meta.pull_quote",
        "header",
        "A pull quote or teaser: a body line that a longer paragraph of the same article prints again in full "
        "(the copy in running text stays).",
        "",
        "",
    ),
    Rule("meta.published", "metadata", "The publication date line, kept in published_at/published_raw.", "", ""),
    Rule("meta.modified", "metadata", "A 'last modified' date line (used only when no publication date).", "", ""),
    Rule("meta.section", "metadata", "The section or rubric name above the headline.", "", ""),
    Rule(
        "meta.dateline", "metadata", "The dateline prefix of the first paragraph, kept in outlet/dateline_city.", "", ""
    ),
    Rule("meta.byline", "metadata", "A byline or credit line; writers go to authors.", "", ""),
    Rule("meta.wire_source", "metadata", "'Sumber: Antara', kept in wire_source.", "", ""),
    Rule("meta.end_marker", "metadata", "An end mark glued to the last sentence, such as '***'.", "", ""),
    Rule("byline.glued_code", "byline", "Editor initials glued to the last sentence: '...kata dia.(OL-11)'.", "", ""),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
LINE_RULES: tuple[Rule, ...] = tuple(rule for rule in RULES if rule.pattern is not None)


def _combined(rules: tuple[Rule, ...]) -> re.Pattern[str]:
    """All line rules as one alternation (flags inlined, group names dropped, a shared gate
    once): one call tells whether any rule may match, so the common case, a body line, costs one
    regex call, not 30."""
    parts: list[str] = []
    for rule in rules:
        assert rule.pattern is not None
        body = re.sub(r"\(\?P<\w+>", "(?:", rule.gate or rule.pattern.pattern)
        part = f"(?i:{body})" if rule.gate or rule.pattern.flags & re.IGNORECASE else f"(?:{body})"
        if part not in parts:
            parts.append(part)
    return re.compile("|".join(parts))


def _max_width(pattern: re.Pattern[str]) -> int:
    """The longest string the pattern can match, in characters (huge when unbounded)."""
    from re import _parser  # type: ignore[attr-defined]  # the stdlib's own pattern parser

    return int(_parser.parse(pattern.pattern, pattern.flags).getwidth()[1])


ANY_LINE_RULE = _combined(tuple(rule for rule in LINE_RULES if not rule.needs))
# Most body lines are long, and most rules can only match short lines: lines over SHORT_LINE
# characters are tried against the rules that can match them only.
SHORT_LINE = 80
ANY_LONG_LINE_RULE = _combined(
    tuple(
        rule
        for rule in LINE_RULES
        if not rule.needs
        and (rule.max_len is None or rule.max_len > SHORT_LINE)
        and (rule.gate or _max_width(rule.pattern) > SHORT_LINE)  # type: ignore[arg-type]
    )
)
GATED_RULES: tuple[Rule, ...] = tuple(rule for rule in LINE_RULES if rule.needs)
# Every gated rule's words: a line holding none of them skips the gated rules. (Substring tests:
# a regex alternation of the same words searched the line 10 times slower.)
GATE_WORDS: tuple[str, ...] = tuple(dict.fromkeys(word for rule in GATED_RULES for word in rule.needs))
_GATE_BYTES = tuple((word, word.encode("ascii")) for word in GATE_WORDS)  # every word is ASCII


def fold_document(lines: list[str]) -> bytes:
    """A document's lines joined by newlines, as UTF-8 with ASCII letters lower-cased: what the
    per-document word tests search. (bytes.lower() folds ASCII only, which is all those words
    need, and is several times faster than str.lower() on text with curly quotes or dashes.)"""
    return "\n".join(lines).encode("utf-8", "surrogatepass").lower()


def gate_words_in(folded: bytes) -> tuple[str, ...]:
    """The gated rules' words that occur anywhere in a folded document (:func:`fold_document`):
    one scan of the document instead of one per line, and most documents hold none of them.

    >>> gate_words_in(fold_document(["Harga naik.", "Tulis komentar Anda"]))
    ('komentar',)
    """
    return tuple(word for word, encoded in _GATE_BYTES if encoded in folded)


def match_line_rule(line: str, gate_words: tuple[str, ...] = GATE_WORDS) -> tuple[Rule, re.Match[str]] | None:
    """The first line rule whose pattern matches the whole line, with its match. ``gate_words``:
    the gated rules' words worth looking for (:func:`gate_words_in` of the line's document).

    >>> match_line_rule("2 dari 2 halaman")[0].id
    'pagination.page_of'
    >>> match_line_rule("Moskow telah mendukung resolusi Dewan Keamanan PBB.") is None
    True
    """
    if len(line) > 2000:  # no rule is written for lines this long; skip the work
        return None
    one_call = ANY_LINE_RULE if len(line) <= SHORT_LINE else ANY_LONG_LINE_RULE
    if one_call.fullmatch(line) is None:
        if not gate_words:
            return None
        lower = line.lower()
        for word in gate_words:
            if word in lower:
                break
        else:
            return None
    for rule in LINE_RULES:
        assert rule.pattern is not None
        match = rule.pattern.fullmatch(line)
        if match is not None:
            return rule, match
    return None


def rule_table_markdown() -> str:
    """The rule table as Markdown, for the README and the data-quality report."""
    rows = ["| rule | category | why | example |", "|---|---|---|---|"]
    for rule in RULES:
        example = rule.example.replace("\n\n", " / ").replace("|", "\\|")
        rows.append(f"| `{rule.id}` | {rule.category} | {rule.why} | {example[:80]} |")
    return "\n".join(rows) + "\n"
