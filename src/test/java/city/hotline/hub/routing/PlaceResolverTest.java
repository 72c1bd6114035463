package city.hotline.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlaceResolverTest {

    static final PlaceResolver CHANGSHA = new PlaceResolver(Divisions.load("classpath:mappings/divisions", "430100"));

    @Test
    void aMaskedDistrictFallsBackToTheRealStreetName() {
        // board post 2554: the district is masked (A3区), the street (洋湖) is real
        PlaceResolver.Place p = CHANGSHA.resolve(null, "A3区潇楚南路洋湖段怎么还没修好？");

        assertThat(p.resolved()).isTrue();
        assertThat(p.street().name()).isEqualTo("洋湖街道");
        assertThat(p.district().name()).isEqualTo("岳麓区");
        assertThat(p.divisionCode()).isEqualTo(p.street().code()).startsWith("430104");
        assertThat(p.province()).isEqualTo("湖南省");
        assertThat(p.city()).isEqualTo("长沙市");
    }

    @Test
    void theCitysOwnNameHidesNoStreet() {
        // 长沙市 contains 沙市, the short form of 沙市镇 (浏阳市): the city's name is read whole
        PlaceResolver.Place p = CHANGSHA.resolve("长沙市岳麓区某某路88号", null);

        assertThat(p.resolved()).isTrue();
        assertThat(p.district().name()).isEqualTo("岳麓区");
        assertThat(p.street()).isNull();
    }

    @Test
    void aTownshipInACountyResolvesToItsCounty() {
        PlaceResolver.Place p = CHANGSHA.resolve(null, "A7县青山铺镇黄鹄村金盆组村民希望修水泥主路");

        assertThat(p.street().name()).isEqualTo("青山铺镇");
        assertThat(p.district().name()).isEqualTo("长沙县");
    }

    @Test
    void theAddressFieldWinsOverTheText() {
        PlaceResolver.Place p = CHANGSHA.resolve("岳麓区梅溪湖街道", "上周在桂花坪街道看到的问题");

        assertThat(p.street().name()).isEqualTo("梅溪湖街道");
    }

    @Test
    void aDistrictWithoutAStreetResolvesToTheDistrictOnly() {
        PlaceResolver.Place p = CHANGSHA.resolve(null, "开福区的路灯坏了");

        assertThat(p.resolved()).isTrue();
        assertThat(p.district().name()).isEqualTo("开福区");
        assertThat(p.street()).isNull();
        assertThat(p.divisionCode()).isEqualTo("430105");
    }

    @Test
    void aPlaceOutsideTheCityIsUnresolvedWithAReasonNotGuessed() {
        PlaceResolver.Place p = CHANGSHA.resolve(null, "投诉A市A1区锦泰家园乱收水费");

        assertThat(p.resolved()).isFalse();
        assertThat(p.reason()).contains("no district or street of 长沙市");
        assertThat(p.district()).isNull();
    }

    @Test
    void streetsOfTwoDistrictsAreUnresolvedNotGuessed() {
        PlaceResolver.Place p = CHANGSHA.resolve(null, "从洋湖街道到东塘街道的公交太少");

        assertThat(p.resolved()).isFalse();
        assertThat(p.reason()).contains("洋湖街道", "东塘街道");
    }

    @Test
    void aStreetNameOfAnotherCityIsNotOneOfThisCity() {
        // 城关镇 exists 88 times in China, never in 长沙
        assertThat(CHANGSHA.resolve(null, "城关镇的路面塌陷").resolved()).isFalse();
    }

    @Test
    void theCityIsConfiguration() {
        PlaceResolver beijing = new PlaceResolver(Divisions.load("classpath:mappings/divisions", "110100"));

        assertThat(beijing.resolve(null, "东华门街道").district().name()).isEqualTo("东城区");
        assertThatThrownBy(() -> Divisions.load("classpath:mappings/divisions", "999900"))
                .hasMessageContaining("hub.routing.city 999900");
    }
}
