package city.hotline.hub.channel.mail;

import static city.hotline.hub.channel.mail.RawMail.b64;
import static city.hotline.hub.channel.mail.RawMail.gbk;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Header decoding against the vectors of channels.md §6, as Jakarta Mail hands the raw value over (one char per byte). */
class MailHeaderTextTest {

    @Test
    void vectorE1_gb2312LabelOverGbkBytesDecodesAsGb18030() {
        assertThat(MailHeaderText.decode("=?gb2312?B?UEO9u5NRpM6ktLC4xNooysLHsJzKguSky6TEpKSkxik=?="))
                .isEqualTo("PC交換のご案内(事前準備について)");
    }

    @Test
    void aCharacterSplitAcrossTwoAdjacentEncodedWordsIsJoinedBeforeDecoding() {
        byte[] g = gbk("市长您好");
        String folded = "=?gb2312?B?" + b64(Arrays.copyOfRange(g, 0, 3)) + "?=\r\n =?GB2312?B?" + b64(Arrays.copyOfRange(g, 3, g.length)) + "?=";
        assertThat(MailHeaderText.decode(folded)).isEqualTo("市长您好");
        byte[] u = "噪音扰民".getBytes(StandardCharsets.UTF_8);
        String utf8 = "=?UTF-8?B?" + b64(Arrays.copyOfRange(u, 0, 4)) + "?= =?UTF-8?Q?" + q(Arrays.copyOfRange(u, 4, u.length)) + "?=";
        assertThat(MailHeaderText.decode("投诉: " + utf8 + " (紧急)")).isEqualTo("投诉: 噪音扰民 (紧急)");
    }

    @Test
    void wordsOfDifferentCharsetsAndPlainTextKeepTheirSpacing() {
        assertThat(MailHeaderText.decode("Re: =?UTF-8?Q?=E5=B8=82=E9=95=BF_=E4=BF=A1=E7=AE=B1?= =?gbk?B?" + b64(gbk("回复")) + "?= ok"))
                .isEqualTo("Re: 市长 信箱回复 ok");
    }

    @Test
    void raw8BitGbkAndRawUtf8HeadersAreTakenBackAsBytes() {
        String gbkAsLatin1 = new String(gbk("关于小区噪音的投诉"), StandardCharsets.ISO_8859_1);
        assertThat(MailHeaderText.decode(gbkAsLatin1)).isEqualTo("关于小区噪音的投诉");
        String utf8AsLatin1 = new String("路灯不亮".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertThat(MailHeaderText.decode(utf8AsLatin1)).isEqualTo("路灯不亮");
    }

    @Test
    void anUndecodableWordIsLeftAsItIs() {
        assertThat(MailHeaderText.decode("=?x-unknown?B?AAAA?= text")).isEqualTo("=?x-unknown?B?AAAA?= text");
    }

    private static String q(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append('=').append(String.format("%02X", b & 0xFF));
        }
        return s.toString();
    }
}
