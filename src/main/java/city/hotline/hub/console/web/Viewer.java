package city.hotline.hub.console.web;

import city.hotline.hub.ticket.PiiMask;
import org.springframework.security.core.Authentication;

/**
 * What the signed-in user may see: {@code admin} sees phone numbers in full, {@code operator} never
 * (the requester's phone is cut to its last four digits and every free text passes through
 * {@link PiiMask}: content, titles, raw payloads, errors, event details). Templates call it for
 * every value that may carry a number; escaping is the templates' job (th:text only).
 */
public final class Viewer {

    private final String name;
    private final boolean admin;

    public Viewer(String name, boolean admin) {
        this.name = name;
        this.admin = admin;
    }

    public static Viewer of(Authentication auth) {
        boolean admin = auth != null && auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_" + ConsoleSecurity.ADMIN));
        return new Viewer(auth == null ? "" : auth.getName(), admin);
    }

    public String getName() {
        return name;
    }

    public boolean isAdmin() {
        return admin;
    }

    /** Free text as this user may read it. */
    public String text(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        return admin ? s : PiiMask.mask(s);
    }

    /** A phone number field: in full for admin; otherwise all but the last four digits hidden. */
    public String phone(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        return admin ? s : maskPhone(s);
    }

    static String maskPhone(String phone) {
        String p = phone.strip();
        if (p.length() <= 4) {
            return "****";
        }
        int keepStart = Math.min(p.startsWith("+") ? 6 : 3, Math.max(0, p.length() - 8));
        return p.substring(0, keepStart) + "****" + p.substring(p.length() - 4);
    }
}
