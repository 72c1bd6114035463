package city.hotline.hub.console.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Form login for the operator console, and nothing else: the chain's securityMatcher covers only
 * {@code /console/**}, {@code /login}, {@code /logout} and the webjars the pages load. The API keeps
 * its API keys (console.ApiKeyFilter), the webhooks their signatures, actuator its ops key; Spring
 * Boot's default chain (which would lock every path) backs off because this one exists.
 * <p>
 * Two users: {@code admin} (sees full phone numbers) and {@code operator} (masked everywhere).
 */
@Configuration
public class ConsoleSecurity {

    public static final String ADMIN = "ADMIN";
    public static final String OPERATOR = "OPERATOR";

    static final String[] PATHS = {"/console", "/console/**", "/login", "/logout", "/webjars/**"};

    @Bean
    SecurityFilterChain consoleSecurityChain(HttpSecurity http) throws Exception {
        http.securityMatcher(PATHS)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/login", "/webjars/**", "/console/console.css").permitAll()
                        .anyRequest().hasAnyRole(ADMIN, OPERATOR))
                .formLogin(f -> f.defaultSuccessUrl("/console", true).permitAll())
                .logout(l -> l.logoutSuccessUrl("/login?logout").permitAll())
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(
                        // pages load only our own scripts (htmx, ECharts from webjars); no inline script runs
                        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'")));
        return http.build();
    }

    @Bean
    PasswordEncoder consolePasswordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService consoleUsers(ConsoleProperties props, PasswordEncoder encoder) {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        // SecretsGuard refuses to start without both outside the demo profile; a missing one here means no such login
        if (props.adminPassword() != null && !props.adminPassword().isBlank()) {
            users.createUser(User.withUsername("admin").password(encoder.encode(props.adminPassword())).roles(ADMIN).build());
        }
        if (props.operatorPassword() != null && !props.operatorPassword().isBlank()) {
            users.createUser(User.withUsername("operator").password(encoder.encode(props.operatorPassword())).roles(OPERATOR).build());
        }
        return users;
    }

    /**
     * Spring Security's firewall sees every request, also those no chain matches. The strict one
     * guards the console; the API and webhooks keep answering unusual paths themselves (with their
     * own 4xx bodies, which the hostile-input tests check), so they pass through unchanged.
     */
    @Bean
    HttpFirewall consoleOnlyFirewall() {
        StrictHttpFirewall strict = new StrictHttpFirewall();
        return new HttpFirewall() {
            @Override
            public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
                if (isConsole(request)) {
                    return strict.getFirewalledRequest(request);
                }
                return new FirewalledRequest(request) {
                    @Override
                    public void reset() {
                    }
                };
            }

            @Override
            public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
                return response;
            }
        };
    }

    private static boolean isConsole(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String path = uri == null ? "" : uri.substring(Math.min(uri.length(), request.getContextPath().length()));
        return path.equals("/console") || path.startsWith("/console/") || path.equals("/login") || path.equals("/logout")
                || path.startsWith("/webjars/");
    }
}
