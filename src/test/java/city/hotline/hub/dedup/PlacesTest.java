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
}
