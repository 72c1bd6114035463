package city.hotline.hub.ticket;

import ch.qos.logback.classic.spi.IThrowableProxy;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;

/**
 * Logback {@code %wEx} (and {@code %ex}, {@code %xEx}, ...) replacement: Spring Boot's stack-trace
 * layout with phone and identity numbers masked, in the exception messages of the whole cause chain
 * (a database error quoting a refused row, a parser quoting its input).
 */
public class MaskingThrowableConverter extends ExtendedWhitespaceThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return PiiMask.mask(super.throwableProxyToString(tp));
    }
}
