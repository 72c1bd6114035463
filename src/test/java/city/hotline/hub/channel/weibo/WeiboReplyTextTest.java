package city.hotline.hub.channel.weibo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeiboReplyTextTest {

    private static final String LINK = "https://12345.example.gov.cn/replies/";

    @Test
    void aShortReplyIsSentAsItIs() {
        assertThat(WeiboReplyText.compose("REPLIED", "已安排维修，感谢监督。", "T20261128-ABCDEFGHIJ", LINK)).isEqualTo("已安排维修，感谢监督。");
    }

    @Test
    void aStatusWithoutReplyTextBecomesANotice() {
        assertThat(WeiboReplyText.compose("ACCEPTED", null, "T20261128-ABCDEFGHIJ", LINK))
                .isEqualTo("您反映的问题已受理，工单号T20261128-ABCDEFGHIJ。");
    }

    @Test
    void aLongReplyIsCutTo140CodePointsAndLinksToTheFullAnswer() {
        String reply = "经核查，".repeat(30) + "😀".repeat(40);

        String text = WeiboReplyText.compose("REPLIED", reply, "T20261128-ABCDEFGHIJ", LINK);

        assertThat(text.codePointCount(0, text.length())).isEqualTo(140);
        assertThat(text).startsWith("经核查，经核查").endsWith("… " + LINK + "T20261128-ABCDEFGHIJ");
    }

    @Test
    void emojiAreCountedAsOneCharacterAndNeverCutInHalf() {
        String reply = "😀".repeat(200);

        String text = WeiboReplyText.compose("REPLIED", reply, "T1", LINK);

        assertThat(text.codePointCount(0, text.length())).isEqualTo(140);
        String head = text.substring(0, text.indexOf('…'));
        assertThat(head.codePoints().allMatch(c -> c == 0x1F600)).isTrue();
    }
}
