package city.hotline.hub.channel.webform;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where the hub is willing to send a web form's status callback (the URL comes from whoever
 * submitted the form, so it is an SSRF vector). With {@code hub.channels.webform.callback-hosts}
 * set, the host must be one of them (exact, or {@code *.domain}), and the operator's list is trusted
 * whatever the host resolves to. With the list empty, any public host is allowed, but never
 * loopback, link-local (169.254.0.0/16, fe80::/10), private (10/8, 172.16/12, 192.168/16),
 * unique-local IPv6 (fc00::/7), the unspecified address or multicast: checked at intake on the
 * URL's literal host, and again at delivery on every address the name resolves to (DNS rebinding).
 */
@Component
public class CallbackPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackPolicy.class);
    public static final String SETTING = "hub.channels.webform.callback-hosts";

    /** The URL may not be called; the message names the rule. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private final List<String> allowedHosts;

    public CallbackPolicy(@Value("${hub.channels.webform.callback-hosts:}") List<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
        if (this.allowedHosts.isEmpty()) {
            LOG.info("{} is empty: web form callbacks may go to public hosts only", SETTING);
        }
    }

    /** At intake: everything that can be told without DNS. */
    public void checkAtIntake(String url) {
        String host = host(url);
        if (!allowedHosts.isEmpty()) {
            checkListed(host);
            return;
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            throw new Refused("callbackUrl host " + host + " is loopback; refused while " + SETTING + " is empty");
        }
        if (isIpLiteral(host)) {
            try {
                checkAddress(host, InetAddress.getByName(strip(host)));
            } catch (UnknownHostException e) {
                throw new Refused("callbackUrl host " + host + " is not a valid address");
            }
        }
    }

    /**
     * At delivery: the same, plus every address the host resolves to now.
     *
     * @throws UnknownHostException the name does not resolve (may be temporary)
     */
    public void checkAtDelivery(String url) throws UnknownHostException {
        checkAtIntake(url);
        if (allowedHosts.isEmpty()) {
            String host = host(url);
            for (InetAddress a : InetAddress.getAllByName(strip(host))) {
                checkAddress(host, a);
            }
        }
    }

    private void checkListed(String host) {
        boolean allowed = allowedHosts.stream().anyMatch(a -> a.startsWith("*.") ? host.endsWith(a.substring(1)) : host.equals(a));
        if (!allowed) {
            throw new Refused("callbackUrl host " + host + " is not in " + SETTING);
        }
    }

    static String host(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("callbackUrl is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("callbackUrl must be http or https");
        }
        if (uri.getHost() == null) {
            throw new Refused("callbackUrl has no host");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        // "localhost." is localhost
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static boolean isIpLiteral(String host) {
        // Java also reads "2130706433" and "127.1" as IPv4 literals, so any all-numeric host is one
        return host.startsWith("[") || host.matches("[0-9.]+") || host.matches("0x[0-9a-f.x]+");
    }

    private static String strip(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static void checkAddress(String host, InetAddress a) {
        String rule = null;
        if (a.isLoopbackAddress()) {
            rule = "loopback";
        } else if (a.isLinkLocalAddress()) {
            rule = "link-local (169.254.0.0/16, fe80::/10)";
        } else if (a.isSiteLocalAddress()) {
            rule = "private (10/8, 172.16/12, 192.168/16)";
        } else if (a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc) {
            rule = "unique-local IPv6 (fc00::/7)";
        } else if (a.isAnyLocalAddress()) {
            rule = "the unspecified address";
        } else if (a.isMulticastAddress()) {
            rule = "multicast";
        }
        if (rule != null) {
            throw new Refused("callbackUrl host " + host + " is " + (host.equals(a.getHostAddress()) || host.equals("[" + a.getHostAddress() + "]")
                    ? "" : "at " + a.getHostAddress() + ", ") + rule + "; refused while " + SETTING + " is empty");
        }
    }
}
