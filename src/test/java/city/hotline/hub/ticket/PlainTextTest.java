package city.hotline.hub.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlainTextTest {

    @Test
    void theBoardsPaddingIsCollapsedAndParagraphsKept() {
        String board = "\n\t\t\t\t\t\n\t\t\t\t\t2019年4月以来，小区物业扬言要退出。\n\t\t\t\t\t\n\n\n\t\t请尽快处理。  谢谢！\t\n";
        assertThat(PlainText.sanitise(board)).isEqualTo("2019年4月以来，小区物业扬言要退出。\n\n请尽快处理。 谢谢！");
    }

    @Test
    void markupIsRemovedWithItsScriptsAndBlocksBecomeParagraphs() {
        String html = "<p>路灯<b>不亮</b>了&nbsp;三天</p><script>alert('x')</script><div>地址：A2区<br>桂花坪街道</div>";
        assertThat(PlainText.sanitise(html)).isEqualTo("路灯不亮了 三天\n\n地址：A2区\n桂花坪街道");
    }

    @Test
    void plainTextWithAngleBracketsIsLeftAlone() {
        assertThat(PlainText.sanitise("噪音 > 70 分贝 & 持续 < 2 小时")).isEqualTo("噪音 > 70 分贝 & 持续 < 2 小时");
    }

    @Test
    void controlAndZeroWidthCharactersAreDropped() {
        assertThat(PlainText.sanitise("井盖\u0000缺失\u200b\u0007！\r\n第二行")).isEqualTo("井盖缺失！\n第二行");
        assertThat(PlainText.sanitise(null)).isNull();
    }
}
