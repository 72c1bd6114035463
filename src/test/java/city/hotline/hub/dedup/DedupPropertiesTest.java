package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The look-up's bounds come from configuration; one below 1 is refused when the settings are bound, by name. */
class DedupPropertiesTest {

    @Test
    void theDefaultsBoundAPlaceTighterThanARequester() {
        LookupBounds b = DedupProperties.defaults().lookupBounds();

        assertThat(b).isEqualTo(new LookupBounds(20, 32, 8));
        assertThat(b.rowsFor("place:榕荫小区")).isEqualTo(8);
        assertThat(b.rowsFor("phone:+8613800000000")).isEqualTo(32);
        assertThat(b.rowsFor("user:weixin:o6_bmjrPTlm6_2sgVt7hMZOPfL2M")).isEqualTo(32);
    }

    @Test
    void aBoundBelowOneIsRefusedWithItsName() {
        assertThatThrownBy(() -> new DedupProperties(null, null, null, null, null, null, null, null, null, null, 0, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows-per-place 0");
    }
}
