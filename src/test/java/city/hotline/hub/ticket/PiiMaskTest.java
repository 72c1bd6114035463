package city.hotline.hub.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class PiiMaskTest {

    @Test
    void mobileNumbersAreMaskedInAnyForm() {
        assertThat(PiiMask.mask("call 13912345678 now")).isEqualTo("call 139****5678 now");
        assertThat(PiiMask.mask("+8613912345678")).isEqualTo("+86139****5678");
        assertThat(PiiMask.mask("{\"phone\":\"008613912345678\"}")).isEqualTo("{\"phone\":\"0086139****5678\"}");
    }

    @Test
    void identityNumbersAndLandlinesAreMasked() {
        assertThat(PiiMask.mask("身份证 43010219900307123X")).isEqualTo("身份证 430102********123X");
        assertThat(PiiMask.mask("电话 0731-88886666")).isEqualTo("电话 0731****6666");
    }

    @Test
    void idsThatAreNotPhoneNumbersStayReadable() {
        assertThat(PiiMask.mask("ticket T20261128-SE8N71JC5D, MsgId 6574261948839470964"))
                .isEqualTo("ticket T20261128-SE8N71JC5D, MsgId 6574261948839470964");
    }

    @Test
    void theCheapFirstLookNeverLetsANumberThroughThatThePatternsWouldMask() {
        java.util.Random random = new java.util.Random(12345);
        String alphabet = "0123456789012345678901-+ TXx/:";
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = 5 + random.nextInt(30);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String t = text.toString();
            assertThat(PiiMask.mask(t)).as(t).isEqualTo(PiiMask.maskEveryPosition(t));
        }
        assertThat(PiiMask.mayHoldANumber("Created ticket T20261130-5XK2 at 2026-11-30T06:00:00Z")).isFalse();
    }

    @Test
    void theLogConverterMasksTheFormattedMessage() {
        LoggingEvent event = new LoggingEvent("x", new LoggerContext().getLogger("test"), Level.INFO,
                "requester phone {} in item {}", null, new Object[] {"13912345678", "wf-1"});
        assertThat(new MaskingMessageConverter().convert(event)).isEqualTo("requester phone 139****5678 in item wf-1");
    }
}
