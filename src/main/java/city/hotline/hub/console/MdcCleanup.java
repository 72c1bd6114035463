package city.hotline.hub.console;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.MDC;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Log lines carry the ticket they are about in the MDC ({@code ticketId}), set by whichever step
 * knows it. Threads are pooled (servlet container, Camel consumers, claim workers), so the MDC is
 * cleared after every HTTP request and after every Camel exchange: no later line on the same thread
 * carries another ticket's id.
 */
@Configuration(proxyBeanMethods = false)
public class MdcCleanup {

    /** After every HTTP request, whatever it did. */
    public static class MdcClearingFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            MDC.clear();
            try {
                chain.doFilter(request, response);
            } finally {
                MDC.clear();
            }
        }
    }

    /**
     * After every exchange (completed or failed), on the thread that finished it; not after the
     * parts an exchange is split into, nor the copies a Kamelet works on, as the flow that made
     * them goes on after them.
     */
    public static class MdcClearingNotifier extends EventNotifierSupport {
        public MdcClearingNotifier() {
            setIgnoreCamelContextEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreExchangeCreatedEvent(true);
            setIgnoreExchangeSendingEvents(true);
            setIgnoreExchangeSentEvents(true);
            setIgnoreExchangeRedeliveryEvents(true);
            setIgnoreStepEvents(true);
            setIgnoreExchangeAsyncProcessingStartedEvents(true);
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent;
        }

        @Override
        public void notify(CamelEvent event) {
            Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
            if (exchange.getProperty(ExchangePropertyKey.CORRELATION_ID) != null) {
                // a part of a split, multicast or wire tap: the exchange it came from goes on
                return;
            }
            Endpoint from = exchange.getFromEndpoint();
            if (from != null && from.getEndpointUri().startsWith("kamelet:")) {
                // the copy a Kamelet works on: the calling route goes on with its own exchange
                return;
            }
            MDC.clear();
        }
    }

    @Bean
    public FilterRegistrationBean<MdcClearingFilter> mdcClearingFilter() {
        FilterRegistrationBean<MdcClearingFilter> reg = new FilterRegistrationBean<>(new MdcClearingFilter());
        reg.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return reg;
    }

    @Bean
    public MdcClearingNotifier mdcClearingNotifier() {
        return new MdcClearingNotifier();
    }
}
