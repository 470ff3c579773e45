"""Compiled patterns and word lists shared by the transforms (kept apart from the logic)."""

from __future__ import annotations

import re

# --- Text repair ----------------------------------------------------------------------------

# Characters that appear when UTF-8 is read as cp1252/latin-1: a lead byte (Â..ô) followed by a
# continuation byte as cp1252 shows it. Clean Indonesian text almost never has this pair, so it
# is a cheap test for "ftfy has something to do here".
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
MOJIBAKE_HINT = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]|[\u00c2\u00c3\ufffd]|\u00e2\u20ac")

# "Â" left over from a no-break space whose second byte was lost: alone, or before a space.
STRAY_A_CIRCUMFLEX = re.compile("\u00c2(?=\\s|$)")
# "â€" whose third byte was lost: 0x9D (the right double quote) is undefined in cp1252, so it is
# dropped, and a space or punctuation follows. Mended *before* ftfy, whose restore-A0 heuristic
# would otherwise read "â€ " as E2 80 A0, a dagger.
LOST_QUOTE = re.compile("\u00e2\u20ac(?=[\\s.,;:!?)\\]]|$)")

# Any "â€" still there after ftfy: an opening quote at a word's start, else a closing one.
OPENING_LOST_QUOTE = re.compile("(?:(?<=\\s)|^)\u00e2\u20ac")
# "Ã" before a space: "à" (C3 A0) whose A0 byte became a space.
A_GRAVE_LOST = re.compile("\u00c3(?=\\s|$)")

# (\n and \r too: a repaired line holds none, but ftfy turns a mended U+2028 into \n)
EXOTIC_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\t\v\f\n\r\x85]")
# Invisible: soft hyphen, zero-width characters, bidi embeddings, overrides and isolates (which can make a line
# display in another order than it reads), invisible operators, byte-order mark. The direction marks U+200E and
# U+200F stay: pages use them, and they change no order.
ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200d\u202a-\u202e\u2060-\u2069\ufeff]")
SPACE_RUNS = re.compile(" {2,}")
# C0 controls go before the mojibake check (removing one can join a mojibake pair); C1 controls
# only after ftfy, which reads them as cp1252 bytes of latin-1-decoded mojibake.
C0_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# A terminal's colour and cursor codes ("\x1b[31m"), from text copied out of a console: the whole code goes,
# not only its ESC.
TERMINAL_ESCAPES = re.compile("\x1b\\[[0-?]*[ -/]*[@-~]")
CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")

# --- Dates ----------------------------------------------------------------------------------

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("januari", "january", "jan"),
        ("februari", "pebruari", "february", "feb", "peb"),
        ("maret", "march", "mar"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("agustus", "august", "agu", "agt", "ags", "aug"),
        ("september", "sep", "sept"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nopember", "nov", "nop"),
        ("desember", "december", "des", "dec"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

# Weekday names (Indonesian and English) mapped to Python's weekday numbers (Monday = 0).
WEEKDAYS: dict[str, int] = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5, "minggu": 6, "ahad": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip

# UTC offsets in hours. Indonesia has no daylight saving time, so fixed offsets are exact.
TIMEZONES: dict[str, int] = {
    "wib": 7, "wita": 8, "wit": 9, "gmt": 0, "utc": 0, "z": 0,
    "asia/jakarta": 7, "asia/pontianak": 7, "asia/makassar": 8, "asia/jayapura": 9,
    "gmt+7": 7, "gmt+8": 8, "gmt+9": 9, "utc+7": 7, "utc+8": 8, "utc+9": 9,
}  # fmt: skip

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_ALT = "|".join(sorted((re.escape(w) for w in WEEKDAYS), key=len, reverse=True))
_TZ_ALT = "|".join(sorted((re.escape(t) for t in TIMEZONES), key=len, reverse=True))

_TIME = (
    r"(?P<hour>[01]?\d|2[0-3])(?::\s?|\.)(?P<minute>[0-5]\d)(?::\s?(?P<second>[0-5]\d))?"  # "21: 15: 59" too
    r"(?:\s?(?P<ampm>[AaPp])\.?[Mm]\b\.?)?"  # "8:10 PM", "8.10 a.m."
)
_TZ = rf"(?P<tz>{_TZ_ALT})"
_SEP = r"[\s,|/\-\u2013\u2014]*"
_AT = r"(?:(?:pukul|jam|at)\s+)?"  # "18 Jun 2015 at 06:25 WIB", "... pukul 10.00 WIB"

# "Kamis, 31 Mei 2018 20:25 WIB", "Sat, 16 Mar 2019 10:28:47 GMT", "Senin, 21 Februari 2011 – 18:27 WIB"
DATE_DMY = re.compile(
    rf"(?:(?P<weekday>{_WEEKDAY_ALT})\.?,?\s*)?\b(?P<day>[0-3]?\d)\s+(?P<month>{_MONTH_ALT})\.?\s+(?P<year>(?:19|20)\d\d)\b"
    rf"(?:{_SEP}{_AT}{_TIME}(?:\s*{_TZ}\b)?)?",
    re.IGNORECASE,
)
# "Mar 16, 2019 17:28 Asia/Jakarta", "DECEMBER 9, 2022"
DATE_MDY = re.compile(
    rf"(?:(?P<weekday>{_WEEKDAY_ALT})\.?,?\s*)?\b(?P<month>{_MONTH_ALT})\.?\s+(?P<day>[0-3]?\d),?\s+(?P<year>(?:19|20)\d\d)\b"
    rf"(?:{_SEP}{_TIME}(?:\s*{_TZ}\b)?)?",
    re.IGNORECASE,
)
# "03/06/2021, 13:51 WIB", "09/11/2017 10:42", "2021-06-03 13:51" (day first, as Indonesian sites write it)
DATE_NUMERIC = re.compile(
    rf"\b(?:(?P<day>[0-3]?\d)[/.\-](?P<month>[01]?\d)[/.\-](?P<year>(?:19|20)\d\d)"
    rf"|(?P<iyear>(?:19|20)\d\d)-(?P<imonth>[01]\d)-(?P<iday>[0-3]\d))"
    rf"(?:{_SEP}{_AT}{_TIME}(?:\s*{_TZ}\b)?)?",
    re.IGNORECASE,
)
# "Selasa, 16 Januari 2024" or "Kamis (25/4/2019)": a date anchored to a weekday, used in body text
# for the current week. Checked against the publication date (flag date_inconsistent).
WEEKDAY_DATE = re.compile(
    rf"\b(?P<weekday>{_WEEKDAY_ALT})\b,?\s*(?:\(\s*(?P<nday>[0-3]?\d)/(?P<nmonth>[01]?\d)/(?P<nyear>(?:19|20)?\d\d)\s*\)"
    rf"|(?P<day>[0-3]?\d)\s+(?P<month>{_MONTH_ALT})\s+(?P<year>(?:19|20)\d\d)\b)",
    re.IGNORECASE,
)
LAST_MODIFIED = re.compile(r"\b(last\s+modified|updated|diperbarui|update\s+terakhir)\b", re.IGNORECASE)

# --- Outlets and datelines -----------------------------------------------------------------

# Brand names that are not themselves domains, as printed in datelines and bylines.
OUTLET_BRANDS: dict[str, str] = {
    "antara": "antaranews.com",
    "antaranews": "antaranews.com",
    "cnn indonesia": "cnnindonesia.com",
    "cnbc indonesia": "cnbcindonesia.com",
    "detiknews": "detik.com",
    "detikcom": "detik.com",
    "detikfinance": "detik.com",
    "detiksport": "detik.com",
    "detikinet": "detik.com",
    "detikhealth": "detik.com",
    "detiktravel": "detik.com",
    "detikedu": "detik.com",
    "kontan": "kontan.co.id",
    "kumparan": "kumparan.com",
    "idn times": "idntimes.com",
    "pars today": "parstoday.ir",
    "parstoday": "parstoday.ir",
    "jpnn": "jpnn.com",
    "jpnn.com": "jpnn.com",
    "viva": "viva.co.id",
    "inews": "inews.id",
    "katadata": "katadata.co.id",
    "pikiran rakyat": "pikiran-rakyat.com",
    "sindonews": "sindonews.com",
    "media indonesia": "mediaindonesia.com",
    "republika": "republika.co.id",
}

# Desk names printed after an outlet's brand ("detikNews", "kumparanNEWS", "Okezone Bola").
DESK_SUFFIXES = (
    "news", "finance", "bisnis", "sport", "sports", "bola", "inet", "tekno", "oto", "travel", "food", "health",
    "hot", "edu", "jatim", "jabar", "jateng", "sumut", "bali", "mom", "woman", "tech", "plus",
)  # fmt: skip
OUTLET_BRANDS.update(
    {"kumparan": "kumparan.com", "okezone": "okezone.com", "detik": "detik.com", "tribun": "tribunnews.com"}
)

# News agencies credited as a source ("Sumber: Antara", "(ant)", "(AFP)").
WIRE_AGENCIES: dict[str, str] = {
    "antara": "Antara",
    "ant": "Antara",
    "reuters": "Reuters",
    "afp": "AFP",
    "ap": "AP",
    "associated press": "AP",
    "xinhua": "Xinhua",
    "bernama": "Bernama",
    "anadolu": "Anadolu",
    "sputnik": "Sputnik",
    "tass": "TASS",
    "yonhap": "Yonhap",
    "kyodo": "Kyodo",
    "bloomberg": "Bloomberg",
    "dpa": "DPA",
    "efe": "EFE",
}

# A domain-like token as printed in datelines: "Liputan6.com", "TEMPO.CO", "REPUBLIKA.CO.ID".
DOMAIN_TOKEN = r"[A-Za-z][A-Za-z0-9\-]*(?:\.[A-Za-z]{2,6}){1,3}"
BRAND_ALT = "|".join(sorted((re.escape(b) for b in OUTLET_BRANDS), key=len, reverse=True))
DOMAIN_LINE = re.compile(rf"(?i:{DOMAIN_TOKEN})")
OUTLET_TOKEN = rf"(?:{DOMAIN_TOKEN}|(?i:{BRAND_ALT}))"
CITY_TOKEN = r"[A-Z][A-Za-z'\.\-]+(?: [A-Z][A-Za-z'\.\-]+){0,2}"
DATELINE_SEP = r"\s*[,.]?\s*(?:-{1,2}|\u2013|\u2014)\s*"  # "Lombok Tengah, EDITOR.ID,- ", "Bima, Bimakini.com.- " too
CAPS_CITY = r"[A-Z]{3,}(?: [A-Z]{3,}){0,2}"  # "JAKARTA", "BANDA ACEH"
TITLE_CITY = r"[A-Z][a-z]{2,}(?: [A-Z][a-z]{2,}){0,2}"  # "Semarang", "Bandar Lampung"

# "Jakarta: " (medcom.id): a known city and a colon
COLON_DATELINE = re.compile(rf"^(?P<city>{CITY_TOKEN}):\s+(?=[A-Z\"\u201c])")
DATELINES = (
    # "Liputan6.com, Moskow - ", "TEMPO.CO, Jakarta - ", "REPUBLIKA.CO.ID, JAKARTA -- "
    re.compile(rf"^(?P<outlet>{OUTLET_TOKEN}),\s*(?P<city>{CITY_TOKEN}){DATELINE_SEP}"),
    # "TEGAL, KOMPAS.com - ", "Jakarta, CNN Indonesia -- "
    re.compile(rf"^(?P<city>{CITY_TOKEN}),\s*(?P<outlet>{OUTLET_TOKEN}){DATELINE_SEP}"),
    # "Jakarta (ANTARA) - ", "Jakarta (ANTARA News) - ", "Mataram, NTB (ANTARA News) - ", "JAKARTA (voa-islam.com), "
    re.compile(
        rf"^(?P<city>{CITY_TOKEN})(?:,\s*[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)?)?\s*\((?P<outlet>{OUTLET_TOKEN})"
        rf"(?: [A-Z][a-z]+)?\)(?:{DATELINE_SEP}|,\s+(?=[A-Z]))"
    ),
    # "TEMPO.CO, Jakarta: ": an outlet, a city and a colon
    re.compile(rf"^(?P<outlet>{OUTLET_TOKEN}),\s*(?P<city>{CITY_TOKEN}):\s+(?=[A-Z\"\u201c])"),
    # "KONTAN.CO.ID - JAKARTA. " (kontan), "Tribratanews.polri.go.id - Semarang. ": outlet, the city, a full stop
    re.compile(rf"^(?P<outlet>{DOMAIN_TOKEN}){DATELINE_SEP}(?P<city>{CAPS_CITY}|{TITLE_CITY})\.\s+(?=[A-Z])"),
    # "jpnn.com - JAKARTA - ": outlet, then the city in capitals between two dashes
    re.compile(rf"^(?P<outlet>{DOMAIN_TOKEN}){DATELINE_SEP}(?P<city>{CAPS_CITY}){DATELINE_SEP}(?=[A-Z\"\u201c])"),
    # "Balitribune.co.id | Jakarta - ": a domain, a bar and the city
    re.compile(
        rf"^(?P<outlet>{DOMAIN_TOKEN})\s*\|\s*(?P<city>{CAPS_CITY}|{TITLE_CITY}){DATELINE_SEP}(?=[A-Z\"\u201c])"
    ),
    # "WahanaNews.co | ": a domain and a bar
    re.compile(rf"^(?P<outlet>{DOMAIN_TOKEN})\s*\|\s*(?=[A-Z\"\u201c])"),
    # "BANDUNG, CEKLISSATU - ": a known city in capitals and a masthead no domain names (no outlet taken)
    re.compile(rf"^(?P<city>{CAPS_CITY}),\s*(?P<masthead>[A-Z][A-Z0-9]{{2,}}(?: [A-Z0-9]{{2,}}){{0,2}}){DATELINE_SEP}"),
    # "Jayapura, Jubi – ", "Jakarta, infoPublik - ": a known city and a masthead that no domain names (no outlet)
    re.compile(
        rf"^(?P<city>{CITY_TOKEN}),\s*(?P<masthead>(?:[A-Za-z][a-z]{{2,}}[A-Za-z]*|[A-Z][A-Z0-9]{{2,}})"
        rf"(?: [A-Z][a-z]{{2,}}| com| co\.id)?){DATELINE_SEP}"
        r"(?=[A-Z\"\u201c])"
    ),
    # "TIMESINDONESIA, JAKARTA – ", "D'On, Padang — ": a masthead no domain names, then a known city
    re.compile(
        rf"^(?P<masthead>[A-Z][\w'\u2019]{{1,20}}(?: [A-Z][\w'\u2019]+)?),\s*(?P<city>{CAPS_CITY}|{TITLE_CITY})"
        rf"{DATELINE_SEP}(?=[A-Z\"\u201c])"
    ),
    # "Kabar Ngetren/Purbalingga – ": a masthead, a slash and the city (any city: the slash and dash say it)
    re.compile(
        r"^(?P<slashed>[A-Z][A-Za-z0-9]+(?: [A-Z][A-Za-z0-9]+){0,2})\s?/\s?"
        rf"(?P<city>[A-Z][a-z]{{2,}}(?: [A-Z][a-z]{{2,}})?){DATELINE_SEP}(?=[A-Z\"\u201c])"
    ),
    # "ORBITINDONESIA.COM - ", "Suara.com - ", and a brand alone: "VIVA – ", "PIKIRAN RAKYAT - "
    re.compile(rf"^(?P<outlet>{OUTLET_TOKEN}){DATELINE_SEP}"),
    # "JAKARTA. " (kontan) and "Jakarta - " (detik and many others): a known city only, because
    # "Korea Utara - Amerika Serikat menggelar ..." has the same shape (see KNOWN_CITIES)
    re.compile(r"^(?P<city>[A-Z]{3,}(?: [A-Z]{3,}){0,2})\.\s+(?=[A-Z])"),
    re.compile(rf"^(?P<city>{CITY_TOKEN}){DATELINE_SEP}(?=[A-Z\"\u201c])"),
    # "Mataram (Suara NTB) – ": a known city and a masthead in brackets that no domain names
    re.compile(
        rf"^(?P<city>{CITY_TOKEN})\s*\((?P<masthead>[A-Z][\w.]*(?: [A-Z][\w.]*){{0,2}})\){DATELINE_SEP}"
        r"(?=[A-Z\"\u201c])"
    ),
    # "SERANG, (KB).- ": a known city in capitals and a masthead's initials in brackets
    re.compile(rf"^(?P<city>{CAPS_CITY}),\s*\((?P<masthead>[A-Z]{{1,6}})\)\.?{DATELINE_SEP}(?=[A-Z\"\u201c])"),
    # "BNews-MAGELANG- ": a masthead glued to a known city in capitals by dashes
    re.compile(rf"^(?P<masthead>[A-Z][A-Za-z]{{1,15}})-(?P<city>{CAPS_CITY})-\s*(?=[A-Z\"\u201c])"),
    # "BANDA ACEH | – ", "BANDA ACEH | ": a city in capitals and a bar
    re.compile(rf"^(?P<city>{CAPS_CITY})\s*\|\s*(?:(?:-{{1,2}}|\u2013|\u2014)\s*)?(?=[A-Z\"\u201c])"),
    # "BANJARMASIN, Momentum ...": a known city in capitals and a comma, then the sentence
    re.compile(rf"^(?P<city>{CAPS_CITY})(?P<known_only>,)\s+(?=[A-Z][a-z])"),
    COLON_DATELINE,  # last: find_dateline leaves it out when no colon is near the start
)
# Datelines without an outlet name are accepted only for these cities (lower-cased).
KNOWN_CITIES = frozenset(
    (
        "jakarta bandung surabaya semarang yogyakarta medan makassar palembang denpasar malang solo surakarta "
        "bogor depok tangerang bekasi serang cirebon tegal pekalongan purwokerto kudus magelang salatiga "
        "kediri madiun jember banyuwangi sidoarjo gresik mojokerto pasuruan probolinggo blitar tulungagung "
        "padang pekanbaru batam jambi bengkulu lampung palu manado gorontalo kendari mamuju ambon ternate "
        "jayapura manokwari sorong merauke kupang mataram pontianak banjarmasin balikpapan samarinda "
        "palangkaraya tarakan banda aceh lhokseumawe sabang pangkalpinang tanjungpinang cilacap sukabumi "
        "garut tasikmalaya karawang purwakarta subang indramayu kuningan majalengka sumedang cianjur "
        "moskow washington beijing tokyo seoul pyongyang london paris berlin jenewa brussel roma madrid "
        "kairo riyadh teheran ankara istanbul yerusalem gaza baghdad damaskus beirut doha dubai "
        "new york singapura kuala lumpur bangkok manila hanoi canberra sydney new delhi islamabad "
        "kabul dhaka vatikan wina stockholm oslo kyiv kiev minsk havana caracas brasilia ottawa"
    ).split()
)
# Indonesia's regency and city seats beyond the big cities above, by region: a regional outlet's dateline names
# its own town ("Tanjung Selor – ", "Mataram (Suara NTB) – "), with no outlet's name to vouch for it.
REGIONAL_SEATS = frozenset(
    (
        # Sumatra
        "lhokseumawe langsa meulaboh takengon bireuen sigli tapaktuan subulussalam calang blangpidie binjai "
        "pematangsiantar siantar sibolga padangsidimpuan tanjungbalai kisaran rantauprapat kabanjahe balige tarutung "
        "gunungsitoli bukittinggi payakumbuh solok sawahlunto pariaman dumai bengkalis siak rengat bangkinang "
        "tembilahan muarabungo sarolangun lubuklinggau prabumulih pagaralam baturaja kayuagung lahat sekayu "
        "kotabumi pringsewu kalianda liwa curup manna mukomuko muntok sungailiat toboali koba ranai "
        # Java
        "cilegon pandeglang rangkasbitung cikarang cimahi ciamis pangandaran brebes slawi pemalang "
        "kendal ungaran demak jepara pati rembang blora purwodadi sragen karanganyar wonogiri sukoharjo klaten "
        "boyolali temanggung wonosobo banjarnegara purbalingga kebumen purworejo banyumas sleman bantul wonosari "
        "wates ngawi magetan ponorogo pacitan trenggalek nganjuk jombang lamongan tuban bojonegoro bangkalan "
        "sampang pamekasan sumenep situbondo bondowoso lumajang cibinong soreang "
        # Bali, Nusa Tenggara
        "singaraja gianyar tabanan jembrana amlapura bangli semarapura klungkung kuta ubud bima dompu selong praya "
        "gerung taliwang ende maumere ruteng bajawa larantuka atambua kefamenanu waingapu waikabubak kalabahi "
        "lewoleba borong mbay "
        # Kalimantan
        "sampit singkawang ketapang sintang sanggau mempawah bontang sangatta tenggarong kotabaru martapura "
        "banjarbaru barabai amuntai kandangan pelaihari nunukan malinau kualakapuas buntok "
        # Sulawesi
        "bitung tomohon kotamobagu luwuk poso tolitoli parigi donggala parepare palopo watampone sungguminasa "
        "maros bulukumba sinjai bantaeng jeneponto takalar sengkang watansoppeng pinrang polewali majene baubau "
        "kolaka raha unaaha wangi-wangi limboto marisa kwandang tilamuta tahuna airmadidi "
        # Maluku, Papua
        "tual masohi saumlaki namlea piru dobo sofifi tidore tobelo labuha biak nabire timika wamena serui fakfak "
        "kaimana bintuni waisai teminabuan agats sarmi sentani"
    ).split()
)
KNOWN_CITIES = KNOWN_CITIES | REGIONAL_SEATS
KNOWN_CITY_PHRASES = frozenset(
    {"banda aceh", "new york", "kuala lumpur", "new delhi", "tanjung pinang", "bandar lampung", "tanjung selor",
     "tanjung redeb", "palangka raya", "pangkalan bun", "padang panjang", "tebing tinggi", "tanjung pandan",
     "tanjung balai", "kuala tungkal", "sungai penuh", "muara enim", "labuan bajo", "sumbawa besar",
     "tangerang selatan", "bandung barat", "pasir pengaraian", "tanah merah", "muara bungo", "kota bima",
     "kuala kapuas", "muara teweh", "selat panjang", "gunung sitoli", "pematang siantar", "sei rampah",
     "lubuk linggau", "pagar alam", "bau bau", "pare pare", "kota mobagu", "tanjung enim", "pulau morotai"}
)  # fmt: skip
# A dateline alone on its line: "Jakarta -", "TEGAL, KOMPAS.com -", "Jakarta (ANTARA) -"
DATELINE_ALONE = re.compile(
    rf"^(?P<city>{CITY_TOKEN})(?:,\s*(?P<outlet>{OUTLET_TOKEN})|\s*\((?P<outlet2>{OUTLET_TOKEN})\))?\s*(?:-{{1,2}}|\u2013|\u2014)$"
)
# ... and with no dash when a domain follows the city: "Pematang Siantar, MISTAR.ID"
DATELINE_ALONE_DOMAIN = re.compile(rf"^(?P<city>{CITY_TOKEN}),\s*(?P<outlet>{DOMAIN_TOKEN})$")
# "Budi Santoso - detikNews": a byline naming the writer and the outlet's desk
DESK_BYLINE = re.compile(
    r"^(?P<name>[A-Z][\w.']+(?: [A-Z][\w.']+){0,3}) [-|] (?P<desk>detik\w*|[A-Z][\w.]+\.(?:com|co\.id|id))$"
)  # "Irwan Febri Rialdi | BolaTimes.com" too
# A writer's name as printed in a byline: two to five capitalised words ("Budi Santoso",
# "Ruth Intan Sozometa Kanafi", "A. Rahman").
BYLINE_NAME = r"[A-Z][\w.'\-]+(?: [A-Z][\w.'\-]+){1,4}"
# Roles printed after a writer's name: "Ahmad Fauzi, Jurnalis" (Okezone), "Budi Santoso, Wartawan"
NAME_ROLES = frozenset({"jurnalis", "wartawan", "reporter", "kontributor", "penulis", "koresponden", "editor"})
NAME_COMMA_ROLE = re.compile(rf"^(?P<name>{BYLINE_NAME}),\s*(?i:{'|'.join(sorted(NAME_ROLES))})$")
# "Susi Setiawati, CNBC Indonesia": a name and the outlet
NAME_COMMA_OUTLET = re.compile(rf"^(?P<name>{BYLINE_NAME}),\s*(?P<outlet>{OUTLET_TOKEN})$")
# "Laporan Wartawan Tribunnews.com, Fahmi Ramadhan" (Tribun's reporter line)
REPORT_BY = re.compile(
    rf"^(?i:laporan)\s+(?i:wartawan|reporter|koresponden|kontributor|jurnalis)\s+(?P<outlet>[^,]{{2,40}}?),?\s+"
    rf"(?P<name>{BYLINE_NAME})$"
)
# A desk code after the names: "Budi Setiawan / CAR"
TRAILING_DESK_CODE = re.compile(r"\s*/\s*[A-Z]{2,5}$")
# Editor codes glued to the last sentence: "...kata dia.(OL-11)", "... (ant/jpnn)"
GLUED_EDITOR_CODE = re.compile(
    r"\s*[\[(]\s*(?P<code>[a-z]{1,5}(?:\s*/\s*[a-z]{1,6}){0,3}|[A-Z]{1,4}-\d{1,3}"
    r"|[A-Z][a-z]{1,4}(?:/[A-Z]?[a-z]{1,5}){1,3})\s*[\])]\.?$"  # "(Mvi/Ali)": initials in title case
)


# --- Line shapes ------------------------------------------------------------------------------

# Two paragraphs glued by a scraper: "...kata Lavrov.\"Amerika", "tersebut.Sementara". The word
# before the stop has three lowercase letters at least, so "Jl.Sudirman", "S.Pd", "dr.Budi" and
# "Liputan6.com" never split.
# (The stop is matched first and the letters before it checked by a lookbehind: the engine then
# tries only at stops, not at every character.)
# ("MedanBagus.Com." is a domain written in capitals, not two sentences.)
GLUED_PARAGRAPHS = re.compile(
    r"([.!?])(?<=[a-z]{3}[.!?])([\"\u201c\u201d]?)(?=[A-Z][a-z])(?!(?:Com|Co|Net|Org|Id|Tv|Info)\b)"
)

SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$|[\"\u201d\u2019]$")
WORD = re.compile(r"\w+(?:[-'\u2019]\w+)*")
# Credits that mark a photo caption: "[Valery Sharifulin/TASS News Agency via AP]",
# "(ANTARA Photo/Sputnik/Alexei Nikolsky)", "(Foto: Dok. Polri)", "(REUTERS/Willy Kurniawan)".
TRAILING_BRACKET = re.compile(r"[\[(]([^\[\]()]{2,200})[\])]\.?\s*$")  # "... (IDN Times/Teri)." too
CREDIT_WORDS = re.compile(
    r"^\s*(?:foto|photo|dok\.?|dokumentasi|ilustrasi|istimewa|ist\.?|getty images|shutterstock|sumber foto)\b",
    re.IGNORECASE,
)
SLASH_BETWEEN_WORDS = re.compile(r"[A-Za-z]{2,}\s*/\s*[A-Za-z]{2,}")
# A photo credit after a caption's last sentence, with no brackets: "... 14 Mei 2018. Tempo/Fakhri Hermansyah",
# "... Juni. TEMPO/Imam Sukamto", "... Jakarta. ANTARA FOTO/Name"; between slashes: "... Jakarta /Tenor/"; or after a
# bar: "Tulus | Foto : teen.co.id".
TRAILING_CREDIT = re.compile(
    # "... 14 Mei 2018. Tempo/Name", "... (kiri). Medcom.id/Name", "... terbakar. / Istimewa"
    r"(?:[.!?]\s+(?:[A-Z][A-Za-z]+(?:\.[a-z]{2,6}){0,2}(?: [A-Z]+)?)?\s?/\s?[A-Z][a-z]+(?: [A-Z][a-z]+){0,3}"
    r"|\s/[A-Z][^/]{1,40}/|\s[|\u2013-]\s*(?:foto|photo|image|gambar)\s*:\s*[^|:]{2,60})\s*$",
    re.IGNORECASE,
)
# A domain alone in a caption's closing brackets: "... (Pexels.com)".
BRACKETED_DOMAIN = re.compile(
    r"^[A-Za-z][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]{2,30})?\.[A-Za-z]{2,6}$"
)  # JABAR.TRIBUNNEWS.COM
CAPTION_BULLET = re.compile(r"^[\u2022\u00b7\u25aa\u25cf]\s*")
CAPTION_BULLETS = frozenset("\u2022\u00b7\u25aa\u25cf")
# "Igor Morgulov, Deputi Menteri Luar Negeri Rusia": a name, a comma and a role.
NAME_AND_ROLE = re.compile(r"^(?:[A-Z][\w.'\-]+ ){1,3}[A-Z][\w.'\-]+, [A-Z][\w ,.'\-]+$")
# Indonesian verb affixes (meN-, ber-, ter-, di-, per-) on a word of a headline: subheadings are
# clauses ("Rusia Mendukung Rencana Dialog"), uncredited captions are noun phrases ("Bendera Rusia").
VERB_LIKE = re.compile(r"^(?:me[mn]?g?y?|ber|ter|di|per)[a-z]{3,}$")
NOT_VERBS = frozenset(
    (
        "menteri mentri media medan meja menit merah mereka mesir meksiko bersama berita berlin bernama "
        "terhadap tersebut terbaru terbesar terkini tertinggi direktur dinas dialog digital diri dunia "
        "diplomat diplomasi persen perdana periode pertama perang perdamaian permata pertamina persija"
    ).split()
)
