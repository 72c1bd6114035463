package city.hotline.hub.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

/** Issue 8, point 11: phone and identity numbers are masked in exception messages and stack traces. */
class MaskingThrowableConverterTest {

    @Test
    void phoneAndIdNumbersAreMaskedInTheMessagesOfTheWholeCauseChain() {
        LoggerContext context = new LoggerContext();
        MaskingThrowableConverter converter = new MaskingThrowableConverter();
        converter.setContext(context);
        converter.start();
        Exception cause = new IllegalArgumentException("value too long for row (13912345678, 11010519491231002X)");
        Exception e = new IllegalStateException("could not store the form of 13987654321", cause);
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("test"), Level.ERROR, "failed", e, null);

        String trace = converter.convert(event);

        assertThat(trace).contains("IllegalStateException: could not store the form of 139****4321")
                .contains("Caused by: java.lang.IllegalArgumentException: value too long for row (139****5678, 110105********002X)")
                .contains("at city.hotline.hub.ticket.MaskingThrowableConverterTest");
        assertThat(trace).doesNotContain("13987654321").doesNotContain("13912345678").doesNotContain("11010519491231002X");
    }
}
