package city.hotline.hub.channel.weixin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SubscribeFieldsTest {

    @Test
    void aTwentyFiveCharacterSummaryIsCutToTwentyCodePointsInAThing() {
        String summary = "小区门口道路破损严重多次反映仍未修复请尽快处理谢谢"; // 25
        assertThat(summary.codePointCount(0, summary.length())).isEqualTo(25);
        String fitted = SubscribeFields.fit("thing3", summary);
        assertThat(fitted.codePointCount(0, fitted.length())).isEqualTo(20);
        assertThat(fitted).startsWith("小区门口道路破损严重多次反映仍未修复请").endsWith("…");
    }

    @Test
    void truncationCountsCodePointsSoSupplementaryCharactersAreNotSplit() {
        String withEmoji = "😀".repeat(25);
        String fitted = SubscribeFields.fit("thing1", withEmoji);
        assertThat(fitted.codePointCount(0, fitted.length())).isEqualTo(20);
        assertThat(fitted).isEqualTo("😀".repeat(19) + "…");
    }

    @Test
    void eachKeyTypeHasItsOwnLimit() {
        assertThat(SubscribeFields.fit("phrase2", "正在办理中的诉求")).isEqualTo("正在办理中");
        assertThat(SubscribeFields.fit("character_string1", "T20260101-ABCDEFGHIJ-0123456789-XYZ")).hasSize(32);
        assertThat(SubscribeFields.fit("time4", "2026-01-01 08:00")).isEqualTo("2026-01-01 08:00");
        assertThat(SubscribeFields.fit("thing3", "短")).isEqualTo("短");
    }

    @Test
    void controlCharactersBecomeSpaces() {
        assertThat(SubscribeFields.fit("thing3", "第一行\n第二行\t\u0007结束\r\n")).isEqualTo("第一行 第二行 结束");
    }

    @Test
    void dataMustBeAnObjectNotAString() {
        ObjectNode data = Json.readObject("{\"thing3\":{\"value\":\"a\\nb\"},\"phrase2\":{\"value\":\"已办结\"}}");
        assertThat(SubscribeFields.fit(data).toString()).isEqualTo("{\"thing3\":{\"value\":\"a b\"},\"phrase2\":{\"value\":\"已办结\"}}");
        assertThatThrownBy(() -> SubscribeFields.fit(Json.read("\"{}\""))).isInstanceOf(IllegalArgumentException.class);
    }
}
