package city.hotline.hub.ticket;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback {@code %msg} replacement that masks phone and identity numbers in every log line. */
public class MaskingMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return PiiMask.mask(super.convert(event));
    }
}
