package city.hotline.hub.dedup;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The places a report names (district, street/township, 小区 or other estate, road, building), found
 * in its normalised text, and the rule "the same wording about a different place is a different
 * problem".
 *
 * <p>Chinese has no word boundaries, so a name's start is unknown: "反映人民路" and "人民路" are the
 * same road. A place is therefore reduced to its <em>core</em>, the two characters before the suffix
 * plus the suffix ("人民路", "锦绣小区", "a3区"), and two reports are compared by looking each one's
 * cores up in the other's <em>whole text</em> rather than in its extracted list. A re-post that adds
 * a detail ("住1栋2单元") names a place the first did not, but not a place that contradicts it;
 * two reports conflict only when each names a place of the same kind that the other never mentions
 * (楚江锦绣小区 against 魅力之城小区, A3区 against A5区).
 */
public final class Places {

    public enum Kind {
        CITY, DISTRICT, STREET, ESTATE, ROAD, BUILDING, LANDMARK;

        /** Small enough that two reports about it within days are likely about one problem. */
        public boolean specific() {
            return this == ESTATE || this == ROAD || this == LANDMARK;
        }
    }

    public record Place(Kind kind, String core) {
    }

    /**
     * The Han script as code point ranges, read from {@link Character.UnicodeScript} once: the same set as
     * {@code \p{IsHan}}, which looks each character's script up by a binary search, and that search was the
     * inbox workers' busiest frame with merging on. The range of the common ideographs comes first (see
     * {@link #hanRanges}).
     */
    static final String HAN_RANGES = hanRanges();
    private static final String HAN = "[" + HAN_RANGES + "]";
    private static final Pattern MASKED_DISTRICT = Pattern.compile("[a-z]\\d{1,2}[区县]");
    private static final String NAME_CHAR = "[" + HAN_RANGES + "a-z0-9]";
    private static final Named DISTRICT = Named.of(HAN, "区", "县");
    private static final Named STREET = Named.of(HAN, "街道", "镇", "乡");
    private static final Named ESTATE = Named.of(NAME_CHAR, "小区", "花园", "家园", "公寓", "新村", "社区", "华庭", "公馆", "山庄", "苑", "村", "园", "城");
    private static final Named ROAD = Named.of(HAN, "大道", "大街", "路", "街(?!道)", "巷", "胡同");
    private static final Named CITY = Named.of(HAN, "市(?![场民区政委长级里内中面值])");
    /** Schools, hospitals, parks, buildings: "the same wording about another school" is another problem too. */
    private static final Named LANDMARK = Named.of(NAME_CHAR, "学院", "学校", "小学", "中学", "大学", "幼儿园", "中医院", "医院", "公园", "大厦",
            "广场", "商场", "酒店", "宾馆", "砖厂", "驾校", "车站");
    private static final Pattern MASKED_CITY = Pattern.compile("[a-z]\\d{0,2}市");
    private static final Pattern BUILDING = Pattern.compile("\\d{1,4}(栋|幢|号楼|单元)");

    private static final Set<String> NOT_A_CITY = Set.of("城市", "都市", "超市", "夜市", "股市", "楼市", "本市", "全市", "我市", "该市",
            "上市", "街市", "门市", "各市", "县市", "省市", "和市", "及市", "到市", "在市", "向市", "对市", "请市", "给市");
    /** A name ending in one of these is a phrase, not a name ("我们的学校", "这个小区"). */
    private static final String FUNCTION_CHARS = "的们该本个此这那在到去和与及是了对从为给有各其某所于被把将让向请很都也就又还而且但就住要日月年号";
    /** A name containing one of these is a phrase or a compound ("火炬路小区" is the 小区 on a road, "严重小区" no name). */
    private static final String NOT_IN_A_NAME = "的们该个此这那是了于被把将让很都也就又还而但要区县市影响严重问题情况进出省";

    /** Words ending like a place that name none: 小区 and 社区 are estates, not districts; 道路 is any road. */
    private static final Set<String> NOT_A_DISTRICT_END = Set.of("小区", "社区", "城区", "片区", "园区", "景区", "校区", "辖区",
            "郊区", "山区", "市区", "老区", "新区", "该区", "本区", "全区", "各区", "我区", "全县", "本县", "该县", "我县", "各县",
            "区县", "街区", "库区", "营区", "厂区", "灾区", "专区", "开发区", "地区", "商区", "住区", "小县");
    private static final Set<String> GENERIC_NAME = Set.of("我们", "我的", "本人", "这个", "那个", "整个", "所在", "附近", "周边",
            "其他", "别的", "一个", "个小", "们小", "的小", "该小", "本小", "各个", "这些", "所有", "住的", "的新", "们新", "老小",
            "道路", "马路", "公路", "铁路", "线路", "思路", "出路", "一路", "走路", "修路", "过路", "进路", "小路", "水路", "电路",
            "网路", "套路", "门路", "上路", "沿路", "让路", "路路", "条路", "段路", "生路", "后路", "前路", "去路", "来路", "农村",
            "乡村", "城乡", "新农", "全村", "本村", "该村", "各村", "我村", "他村", "邻村", "村村", "们村", "的村", "在村",
            "公园", "校园", "果园", "菜园", "乐园", "家园", "花园", "庄园", "陵园", "墓园", "园园", "幼儿", "儿园", "县城", "省城",
            "进城", "京城", "城城", "全城", "满城", "新城", "古城", "长城", "卫城",
            // what kind of estate, not its name: 德雅苑生活小区 is 德雅苑, 桃花锦绣住宅小区 is 桃花锦绣
            "生活", "住宅", "安置", "居民", "商品", "职工");

    private Places() {
    }

    private static String hanRanges() {
        String common = "";
        List<String> ranges = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                int start = cp;
                while (cp < Character.MAX_CODE_POINT && Character.UnicodeScript.of(cp + 1) == Character.UnicodeScript.HAN) {
                    cp++;
                }
                String range = String.format("\\x{%X}-\\x{%X}", start, cp);
                if (start <= 0x4E00 && 0x4E00 <= cp) {
                    common = range;
                } else {
                    ranges.add(range);
                }
            }
        }
        // the rarer ranges as a class nested in the common one: a regex class tests its ranges one after
        // another, so a common ideograph is recognised by its first test, not after twenty
        return common + "[" + String.join("", ranges) + "]";
    }

    /**
     * Each pattern of a name (two characters, then a suffix) with the characters its suffixes begin with. A
     * name can only start two characters before one of them, so only there is the pattern tried
     * ({@link #nextName}): run with {@code find}, the regex tried every position of the text, and that was
     * most of the time merging spent on a report's places.
     */
    private record Named(Pattern pattern, java.util.BitSet suffixStarts) {
        /** Two characters of {@code nameChar}, then one of the suffixes (regexes; each begins with its first character). */
        static Named of(String nameChar, String... suffixes) {
            java.util.BitSet starts = new java.util.BitSet(0x10000);
            for (String suffix : suffixes) {
                starts.set(suffix.charAt(0));
            }
            return new Named(Pattern.compile("(" + nameChar + "{2})(" + String.join("|", suffixes) + ")"), starts);
        }
    }

    /** The places named in a normalised text, in order of first mention, each core once. */
    public static List<Place> extract(String normalised) {
        Set<Place> out = new LinkedHashSet<>();
        find(MASKED_DISTRICT, normalised, Kind.DISTRICT, out, false);
        Matcher d = DISTRICT.pattern().matcher(normalised);
        for (int from = 0; nextName(d, DISTRICT, normalised, from); from = d.end()) {
            String core = d.group();
            String end = normalised.substring(Math.max(0, d.end() - 2), d.end());
            if (!NOT_A_DISTRICT_END.contains(end) && !NOT_A_DISTRICT_END.contains(core) && !generic(d.group(1))) {
                out.add(new Place(Kind.DISTRICT, core));
            }
        }
        find(MASKED_CITY, normalised, Kind.CITY, out, false);
        Matcher c = CITY.pattern().matcher(normalised);
        for (int from = 0; nextName(c, CITY, normalised, from); from = c.end()) {
            String core = c.group();
            if (!NOT_A_CITY.contains(core.substring(1)) && !NOT_A_CITY.contains(core.substring(0, 2)) && !generic(c.group(1))) {
                out.add(new Place(Kind.CITY, core));
            }
        }
        find(STREET, normalised, Kind.STREET, out);
        find(ESTATE, normalised, Kind.ESTATE, out);
        find(ROAD, normalised, Kind.ROAD, out);
        find(BUILDING, normalised, Kind.BUILDING, out, false);
        find(LANDMARK, normalised, Kind.LANDMARK, out);
        return new ArrayList<>(out);
    }

    /**
     * What {@code m.find(from)} finds for a pattern of {@code named}: the leftmost match starting at or after
     * {@code from}. Its name is two characters, so a match starts two before a suffix's first character, and
     * only those starts are tried.
     */
    private static boolean nextName(Matcher m, Named named, String text, int from) {
        for (int at = from + 2; at < text.length(); at++) {
            if (named.suffixStarts().get(text.charAt(at))) {
                m.region(at - 2, text.length());
                if (m.lookingAt()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@link #find(Pattern, String, Kind, Set, boolean)} for a name pattern, its names checked, tried only before a suffix. */
    private static void find(Named named, String text, Kind kind, Set<Place> out) {
        Matcher m = named.pattern().matcher(text);
        int lastEnd = -1;
        for (int from = 0; from < text.length() && nextName(m, named, text, from); from = m.start() + 1) {
            lastEnd = add(m, kind, out, true, lastEnd);
        }
    }

    private static void find(Pattern p, String text, Kind kind, Set<Place> out, boolean checkName) {
        Matcher m = p.matcher(text);
        int lastEnd = -1;
        // overlapping matches: "金星路与佑母塘路" must give both roads even when one name abuts the next
        for (int from = 0; from < text.length() && m.find(from); from = m.start() + 1) {
            lastEnd = add(m, kind, out, checkName, lastEnd);
        }
    }

    /** Adds the match unless it is a generic name or a shorter suffix of the previous match; returns its end. */
    private static int add(Matcher m, Kind kind, Set<Place> out, boolean checkName, int lastEnd) {
        // two names ending at the same character: the one with the longer suffix is the name
        // ("回复中医院" is a 中医院, not a 医院 called 复中; "锦绣花园" is not a 园 called 绣花)
        boolean shorterSuffix = m.end() == lastEnd;
        if (!shorterSuffix && (!checkName || !generic(m.group(1)) && !GENERIC_NAME.contains(m.group()))) {
            out.add(new Place(kind, m.group()));
        }
        return m.end();
    }

    private static boolean generic(String name) {
        if (GENERIC_NAME.contains(name) || FUNCTION_CHARS.indexOf(name.charAt(name.length() - 1)) >= 0) {
            return true;
        }
        for (int i = 0; i < name.length(); i++) {
            if (NOT_IN_A_NAME.indexOf(name.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first pair of places that shows two reports are about different places: a place of one that
     * the other never mentions, against a place of the same kind in the other that the first never
     * mentions. Empty when they agree or when either names no place of that kind. A place counts as
     * mentioned by the other report when its text contains the core, when the other names the same name
     * with two characters swapped (隆兴砖厂 / 兴隆砖厂; 中安驾校 among 安中驾校, 正合驾校 ...), or when the
     * other's text has the same words around it with one character of the name changed (黄兴大道 / 黄星大道
     * "人民东路以北黄兴大道以西"): typos, which re-posts and copied letters are full of.
     */
    public static java.util.Optional<String> conflict(List<Place> placesA, String textA, List<Place> placesB, String textB) {
        List<Place> unmatchedB = null;
        for (Place a : placesA) {
            if (mentioned(a, placesB, textA, textB)) {
                continue;
            }
            if (unmatchedB == null) {
                // worked out once: the typo check reads the texts
                unmatchedB = placesB.stream().filter(b -> !mentioned(b, placesA, textB, textA)).toList();
            }
            for (Place b : unmatchedB) {
                if (b.kind() == a.kind()) {
                    return java.util.Optional.of(a.core() + " / " + b.core());
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether place {@code p} of a report with text {@code ownText} is mentioned by the other report. */
    private static boolean mentioned(Place p, List<Place> otherPlaces, String ownText, String otherText) {
        if (otherText.contains(p.core())) {
            return true;
        }
        for (Place o : otherPlaces) {
            if (transposed(p.core(), o.core())) {
                return true;
            }
        }
        return typo(p.core(), ownText, otherText);
    }

    /** Characters of context on each side that must be the same for a one-character change to count as a typo. */
    static final int TYPO_CONTEXT = 3;

    /**
     * Whether {@code otherText} has the place's core with its surroundings ({@value #TYPO_CONTEXT}
     * characters each side, as in {@code ownText}) but one character of the name changed: "以北黄兴大道以西"
     * against "以北黄星大道以西" is one road mistyped, "l5县警予北路占用" against "l5县金星北路占用" (two
     * characters) is another road. Masked names (a3区, b市: a letter or digit stands for the whole name)
     * are never typos of each other.
     */
    static boolean typo(String core, String ownText, String otherText) {
        int at = ownText.indexOf(core);
        if (at < TYPO_CONTEXT || at + core.length() + TYPO_CONTEXT > ownText.length() || !core.codePoints().allMatch(Character::isIdeographic)) {
            return false;
        }
        String window = ownText.substring(at - TYPO_CONTEXT, at + core.length() + TYPO_CONTEXT);
        // the name is the core's first two characters (the rest is its suffix: 路, 小区, 大道 ...)
        for (int k = TYPO_CONTEXT; k < TYPO_CONTEXT + 2; k++) {
            String left = window.substring(0, k);
            String right = window.substring(k + 1);
            for (int i = otherText.indexOf(left); i >= 0; i = otherText.indexOf(left, i + 1)) {
                int changed = i + k;
                if (changed < otherText.length() && otherText.startsWith(right, changed + 1)
                        && otherText.charAt(changed) != window.charAt(k) && Character.isIdeographic(otherText.charAt(changed))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** "隆兴砖厂" and "兴隆砖厂": the same name with two characters swapped is a typo, not another place. */
    static boolean transposed(String a, String b) {
        if (a.length() != b.length() || a.equals(b)) {
            return false;
        }
        char[] x = a.toCharArray();
        char[] y = b.toCharArray();
        java.util.Arrays.sort(x);
        java.util.Arrays.sort(y);
        return java.util.Arrays.equals(x, y);
    }

    /**
     * The version of the rules above. Index entries keep the places found when they were stored
     * ({@link #encode}); raise it whenever a change to the rules changes what {@link #extract} finds, and
     * entries stored under older rules are read again from their texts ({@link #decode} gives null).
     */
    static final String RULES = "1";

    private static final java.util.Map<String, Kind> KINDS = java.util.Arrays.stream(Kind.values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Kind::name, k -> k));

    /** Separates the version and the places; a core never holds it (normalised text has no control characters). */
    private static final char SEP = '\u001f';

    /** Places as stored with an index entry: the rules' version, then each place's kind and core (a core has no ':', normalised text no punctuation). */
    public static String encode(List<Place> places) {
        StringBuilder out = new StringBuilder(RULES);
        for (Place p : places) {
            out.append(SEP).append(p.kind().name()).append(':').append(p.core());
        }
        return out.toString();
    }

    /** What {@link #encode} wrote, or null when it is absent or was found under other rules. */
    public static List<Place> decode(String stored) {
        if (stored == null) {
            return null;
        }
        String[] parts = stored.split(String.valueOf(SEP), -1);
        if (!parts[0].equals(RULES)) {
            return null;
        }
        List<Place> out = new ArrayList<>(parts.length - 1);
        for (int i = 1; i < parts.length; i++) {
            int colon = parts[i].indexOf(':');
            Kind kind = colon < 0 ? null : KINDS.get(parts[i].substring(0, colon));
            if (kind == null) {
                // a kind these rules do not know (renamed without raising RULES): found again from the text,
                // rather than failing the look-up and with it the batch
                return null;
            }
            out.add(new Place(kind, parts[i].substring(colon + 1)));
        }
        return List.copyOf(out);
    }

    /** Whether the two texts name at least one place in common. */
    public static boolean sharePlace(List<Place> placesA, String textB) {
        return placesA.stream().anyMatch(p -> textB.contains(p.core()));
    }
}
