package city.hotline.hub.console;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Guards the operations endpoints on the main port (see OpsManagementContextConfiguration for a separate one). */
@Configuration(proxyBeanMethods = false)
public class OpsAccessConfiguration {

    @Bean
    public FilterRegistrationBean<OpsAccessFilter> opsAccessFilter(ApiClientRegistry clients,
            @Value("${management.endpoints.web.base-path:/actuator}") String basePath) {
        FilterRegistrationBean<OpsAccessFilter> reg = new FilterRegistrationBean<>(new OpsAccessFilter(clients, basePath));
        reg.setOrder(5);
        return reg;
    }
}
