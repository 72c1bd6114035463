package city.hotline.hub.console;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * With {@code management.server.port} set, the operations endpoints run in a child context on
 * their own port, whose server does not see the main context's filters: the same guard is
 * registered there too (listed in META-INF/spring/...ManagementContextConfiguration.imports).
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class OpsManagementContextConfiguration {

    @Bean
    public FilterRegistrationBean<OpsAccessFilter> opsAccessFilterOnManagementPort(ApiClientRegistry clients,
            @Value("${management.endpoints.web.base-path:/actuator}") String basePath) {
        FilterRegistrationBean<OpsAccessFilter> reg = new FilterRegistrationBean<>(new OpsAccessFilter(clients, basePath));
        reg.setOrder(5);
        return reg;
    }
}
