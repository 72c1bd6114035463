package city.hotline.hub.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * Refuses to start the hub, outside the {@code demo} profile, while a secret is empty or one of the
 * values shipped in the project's own configuration (the {@code ${ENV:default}} fallbacks of
 * application.yml, such as {@code local-dev-key} and {@code local-dev-secret}, and the values of
 * application-demo.yml): the API keys, the status secret, and the secrets of every enabled channel.
 * The refusal names every offending property.
 * <p>
 * An application-context initializer that checks when the context is refreshed, before any bean is
 * created (a registry post-processor of its own): nothing is started yet (database, broker, ports),
 * and every property source is in place, test ones included (an environment post-processor would
 * run before those).
 */
public class SecretsGuard implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

    /** Defaults shipped by the project, also where a configuration file of ours does not show them. */
    static final Set<String> KNOWN_DEFAULTS = Set.of("local-dev-key", "local-dev-secret",
            // passwords anyone would try first on a console login
            "admin", "operator", "password", "changeme", "123456");
    private static final Pattern PLACEHOLDER_DEFAULT = Pattern.compile("\\$\\{[^:}]+:([^}]+)}");

    private record Secret(String property, String enabledBy) {
    }

    private static final List<Secret> CHANNEL_SECRETS = List.of(
            new Secret("hub.backends.case-system.status-secret", null),
            new Secret("hub.channels.weixin.app-secret", "hub.channels.weixin.enabled"),
            new Secret("hub.channels.weixin.token", "hub.channels.weixin.enabled"),
            new Secret("hub.channels.weixin.encoding-aes-key", "hub.channels.weixin.enabled"),
            new Secret("hub.channels.weibo.access-token", "hub.channels.weibo.enabled"),
            new Secret("hub.channels.mail.password", "hub.channels.mail.enabled"),
            new Secret("hub.channels.national.app-key", "hub.channels.national.enabled"),
            new Secret("hub.channels.national.app-secret", "hub.channels.national.enabled"),
            new Secret("hub.channels.cti.webhook-secret", "hub.channels.cti.enabled"),
            new Secret("hub.sms.access-secret", "hub.channels.cti.enabled"),
            // the operator console's two users (console.web.ConsoleSecurity, docs/console.md)
            new Secret("hub.console.admin-password", null),
            new Secret("hub.console.operator-password", null));

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.addBeanFactoryPostProcessor(new BeanDefinitionRegistryPostProcessor() {
            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
                check(context.getEnvironment());
            }

            @Override
            public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            }
        });
    }

    /** Throws, naming every offending property, unless the demo profile is active or all is well. */
    public static void check(ConfigurableEnvironment env) {
        if (env.acceptsProfiles(Profiles.of("demo"))) {
            return;
        }
        List<String> offending = offending(env);
        if (!offending.isEmpty()) {
            throw new IllegalStateException("The hub does not start with empty or shipped default secrets (outside the demo profile);"
                    + " set real values for: " + String.join(", ", offending)
                    + " (e.g. HUB_API_KEYS, HUB_STATUS_SECRET, HUB_WEIXIN_*, HUB_WEIBO_ACCESS_TOKEN, HUB_MAIL_PASSWORD, HUB_NATIONAL_APP_*,"
                    + " HUB_CTI_WEBHOOK_SECRET, HUB_SMS_ACCESS_SECRET, HUB_CONSOLE_ADMIN_PASSWORD, HUB_CONSOLE_OPERATOR_PASSWORD),"
                    + " or run the demo profile"
                    + " (--spring.profiles.active=demo)");
        }
    }

    /** Every property that is empty or a shipped default, each named once, in a stable order. */
    public static List<String> offending(ConfigurableEnvironment env) {
        Set<String> shipped = shippedDefaults();
        Binder binder = Binder.get(env);
        Set<String> out = new LinkedHashSet<>();
        List<ApiClientRegistry.ConfiguredKey> keys = ApiClientRegistry.read(binder);
        if (keys.isEmpty()) {
            out.add("hub.api.keys");
        }
        for (ApiClientRegistry.ConfiguredKey k : keys) {
            if (bad(k.key(), shipped)) {
                out.add(k.property());
            }
        }
        for (Secret s : CHANNEL_SECRETS) {
            if (s.enabledBy() != null && !Boolean.parseBoolean(env.getProperty(s.enabledBy(), "false").trim())) {
                continue;
            }
            if (bad(env.getProperty(s.property()), shipped)) {
                out.add(s.property());
            }
        }
        return new ArrayList<>(out);
    }

    private static boolean bad(String value, Set<String> shipped) {
        return value == null || value.isBlank() || shipped.contains(value.trim());
    }

    /** The fallbacks written into our own configuration files, plus the known development values. */
    static Set<String> shippedDefaults() {
        Set<String> out = new LinkedHashSet<>(KNOWN_DEFAULTS);
        for (String file : List.of("application.yml", "application-demo.yml")) {
            try (InputStream in = SecretsGuard.class.getClassLoader().getResourceAsStream(file)) {
                if (in == null) {
                    continue;
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    String l = line.strip();
                    if (!l.matches("(?i)(keys|[a-z-]*secret|[a-z-]*token|encoding-aes-key|[a-z-]*password)\\s*:.*")) {
                        continue;
                    }
                    Matcher m = PLACEHOLDER_DEFAULT.matcher(l);
                    if (m.find()) {
                        for (String v : m.group(1).split(",")) {
                            if (!v.isBlank()) {
                                out.add(v.trim());
                            }
                        }
                    } else if (file.startsWith("application-demo")) {
                        String v = l.substring(l.indexOf(':') + 1).strip();
                        if (!v.isEmpty() && !v.startsWith("${")) {
                            out.add(v.replaceAll("^[\"']|[\"']$", ""));
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
        return out;
    }
}
