package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class PlacesTest {

    private static List<String> cores(String text) {
        return Places.extract(TextNormaliser.normalise(text)).stream().map(Places.Place::core).toList();
    }

    @Test
    void districtsStreetsEstatesRoadsAndBuildingsAreFound() {
        assertThat(cores("A市A3区天顶街道青山新村社区青青家园，金星路与佑母塘路交叉口，3栋2单元"))
                .contains("a3区", "天顶街道", "青青家园", "金星路", "母塘路", "3栋", "2单元");
    }

    @Test
    void wordsThatOnlyLookLikePlacesAreNotPlaces() {
        assertThat(cores("我们小区的道路和马路都坏了，本小区物业不管")).doesNotContain("们小区", "道路", "马路", "小区");
    }

    @Test
    void theSameWordingAboutAnotherEstateConflicts() {
        String a = TextNormaliser.normalise("A5区魅力之城小区一楼的夜宵摊油烟严重污染附近的空气");
        String b = TextNormaliser.normalise("A5区楚江锦绣小区一楼的夜宵摊油烟严重污染附近的空气");
        assertThat(Places.conflict(Places.extract(a), a, Places.extract(b), b)).isPresent();
    }

    @Test
    void aRepostThatAddsADetailDoesNotConflict() {
        String a = TextNormaliser.normalise("A1区同鑫家园排水堵塞");
        String b = TextNormaliser.normalise("A1区马王堆街道同鑫家园1栋2单元排水堵塞");
        assertThat(Places.conflict(Places.extract(a), a, Places.extract(b), b)).isEmpty();
        assertThat(Places.conflict(Places.extract(b), b, Places.extract(a), a)).isEmpty();
    }

    @Test
    void aPlaceNameWithOneCharacterMistypedInTheSameSentenceIsTheSamePlace() {
        String a = TextNormaliser.normalise("地块位于人民东路以北/黄兴大道以西，202亩，拟建医院");
        String b = TextNormaliser.normalise("地块位于人民东路以北/黄星大道以西，202亩，拟建医院");
        assertThat(Places.conflict(Places.extract(a), a, Places.extract(b), b)).isEmpty();
        assertThat(Places.conflict(Places.extract(b), b, Places.extract(a), a)).isEmpty();
    }

    @Test
    void anotherRoadInTheSameSentenceIsStillAnotherPlace() {
        // two characters of the name differ: not a typo
        String a = TextNormaliser.normalise("请求尽快拆除L5县警予北路占用人行道的木架");
        String b = TextNormaliser.normalise("请求尽快拆除L5县金星北路占用人行道的木架");
        assertThat(Places.conflict(Places.extract(a), a, Places.extract(b), b)).isPresent();
        // masked names: a letter stands for the whole name
        String c = TextNormaliser.normalise("希望C市重视滴滴出行的问题，司机乱收费");
        String d = TextNormaliser.normalise("希望B市重视滴滴出行的问题，司机乱收费");
        assertThat(Places.conflict(Places.extract(c), c, Places.extract(d), d)).isPresent();
    }

    @Test
    void namesWithTwoCharactersSwappedAnywhereInTheOtherListAreTheSamePlaces() {
        String a = TextNormaliser.normalise("A市安中驾校、正合驾校、鑫华驾校、安康顺驾校存在违规收费");
        String b = TextNormaliser.normalise("A市中安驾校、正合驾校、华鑫驾校、安顺康驾校、楚一驾校存在违规收费");
        assertThat(Places.conflict(Places.extract(a), a, Places.extract(b), b)).isEmpty();
        assertThat(Places.conflict(Places.extract(b), b, Places.extract(a), a)).isEmpty();
    }

    @Test
    void whatKindOfEstateItIsIsNotItsName() {
        assertThat(cores("A市规划局在德雅苑生活小区违建加油站")).contains("德雅苑").doesNotContain("生活小区");
        assertThat(cores("桃花锦绣住宅小区内的液化气站")).doesNotContain("住宅小区");
    }

    @Test
    void theLongerSuffixEndingAtTheSameCharacterNamesThePlace() {
        assertThat(cores("关于K3县中医医院回复中医院违法行为的质疑")).contains("回复中医院").doesNotContain("复中医院");
    }

    @Test
    void placesStoredWithAnEntryReadBackAsFoundAndNotAtAllUnderOtherRules() {
        List<Places.Place> found = Places.extract(TextNormaliser.withBreaks("A3区桂花街道锦绣小区3栋门口的人民路积水，坡岭小学附近"));
        assertThat(found).hasSizeGreaterThan(4);

        String stored = Places.encode(found);

        assertThat(Places.decode(stored)).isEqualTo(found);
        assertThat(Places.decode(Places.encode(List.of()))).isEmpty();
        assertThat(Places.decode(null)).as("stored before the column existed").isNull();
        assertThat(Places.decode("0" + stored.substring(Places.RULES.length()))).as("found under other rules").isNull();
        assertThat(Places.decode(Places.RULES + "\u001fPLANET:火星")).as("a kind these rules do not know").isNull();
        assertThat(Places.decode(Places.RULES + "\u001f火星")).as("no kind at all").isNull();
    }

    @Test
    void theHanRangesAreExactlyTheHanScript() {
        java.util.regex.Matcher han = java.util.regex.Pattern.compile("[" + Places.HAN_RANGES + "]").matcher("");
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("\\p{IsHan}").matcher("");
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String c = Character.toString(cp);
            if (han.reset(c).matches() != script.reset(c).matches()) {
                throw new AssertionError(String.format("U+%04X: ranges %s, \\p{IsHan} %s", cp, han.matches(), script.matches()));
            }
        }
        assertThat(Places.HAN_RANGES).startsWith("\\x{4E00}");
    }
}
