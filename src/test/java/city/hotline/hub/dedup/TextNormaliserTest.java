package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextNormaliserTest {

    @Test
    void fullWidthFormsWhitespaceAndPunctuationDoNotChangeTheFingerprint() {
        String a = TextNormaliser.normalise("ＡＢＣ小区３号楼　路灯坏了！！\n\t请尽快修理。");
        String b = TextNormaliser.normalise("abc小区3号楼 路灯坏了!! 请尽快修理");
        assertThat(a).isEqualTo("abc小区3号楼路灯坏了请尽快修理").isEqualTo(b);
        assertThat(TextNormaliser.fingerprint(a)).isEqualTo(TextNormaliser.fingerprint(b));
    }

    @Test
    void differentWordsGiveDifferentFingerprints() {
        assertThat(TextNormaliser.fingerprint(TextNormaliser.normalise("路灯坏了")))
                .isNotEqualTo(TextNormaliser.fingerprint(TextNormaliser.normalise("路灯好了")));
    }
}
