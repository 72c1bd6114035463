package city.hotline.hub.channel.weibo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class WeiboTextTest {

    @Test
    void zeroWidthCharactersAreRemovedAndEmojiKept() {
        WeiboText.Split s = WeiboText.split("小区\u200b门口\u200d垃圾\uFEFF堆积😡🚮 请处理");

        assertThat(s.own()).isEqualTo("小区门口垃圾堆积😡🚮 请处理");
        assertThat(s.own().codePoints().filter(c -> c == 0x1F621).count()).isEqualTo(1);
        assertThat(s.chain()).isNull();
    }

    @Test
    void theRepostChainIsSplitOffTheCitizensOwnWords() {
        WeiboText.Split s = WeiboText.split("@某市12345 还没修好！//@张三:路灯坏了一个月//@李四: 同问");

        assertThat(s.own()).isEqualTo("@某市12345 还没修好！");
        assertThat(s.chain()).isEqualTo("//@张三:路灯坏了一个月//@李四: 同问");
    }

    @Test
    void aPureRepostHasNoOwnWords() {
        WeiboText.Split s = WeiboText.split("//@张三:路灯坏了");

        assertThat(s.own()).isEmpty();
        assertThat(s.chain()).isEqualTo("//@张三:路灯坏了");
    }

    @Test
    void createdAtIsReadWithItsOffset() {
        assertThat(WeiboText.createdAt("Tue May 31 17:46:55 +0800 2011")).isEqualTo(Instant.parse("2011-05-31T09:46:55Z"));
        assertThat(WeiboText.createdAt("Wed Jun 01 00:50:25 +0000 2011")).isEqualTo(Instant.parse("2011-06-01T00:50:25Z"));
    }

    @Test
    void anUnreadableCreatedAtIsRefusedWithTheValue() {
        assertThatThrownBy(() -> WeiboText.createdAt("2011-05-31 17:46:55")).hasMessageContaining("2011-05-31 17:46:55");
    }
}
