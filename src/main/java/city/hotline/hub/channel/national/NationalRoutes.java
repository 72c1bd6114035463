package city.hotline.hub.channel.national;

/** Exchange properties the route {@code national-call} (routes/national.yaml) builds its request from. */
public final class NationalRoutes {

    public static final String METHOD = "hubNationalMethod";
    public static final String PATH = "hubNationalPath";
    public static final String QUERY = "hubNationalQuery";

    /** Times to the platform: ISO-8601 with the +08:00 offset, always with seconds. */
    private static final java.time.format.DateTimeFormatter LOCAL =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").withZone(java.time.ZoneId.of("Asia/Shanghai"));

    private NationalRoutes() {
    }

    public static String local(java.time.Instant t) {
        return LOCAL.format(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** A path segment for the case number: the platform's case numbers are not ours to trust in a URL. */
    public static String caseSegment(String caseNo) {
        return java.net.URLEncoder.encode(caseNo, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
