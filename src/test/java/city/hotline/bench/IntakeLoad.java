package city.hotline.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import city.hotline.hub.support.BoardFixtures;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends web-form submissions (real board posts from the test fixtures) over HTTP/1.1 with a bounded
 * number of requests in flight, either as fast as the server answers or at a fixed rate. A fixed-rate
 * request is timed from when it was due, not when a free slot let it go, so a stalled server shows
 * in the latency instead of slowing the load down.
 */
final class IntakeLoad {

    /** One phase's outcome; {@code accepted} holds the item ids answered 202. */
    record Phase(String name, long sent, long accepted, long refused, long failed, long redeliveries,
                 long startNanos, long endNanos, List<String> acceptedIds) {
        double acceptedPerSecond() {
            return accepted / ((endNanos - startNanos) / 1e9);
        }
    }

    /**
     * Apache HttpClient's classic (blocking) client on a pool of {@code concurrency} threads and as many
     * keep-alive connections. It replaced the JDK's asynchronous HttpClient, which spent 3.7 times the
     * CPU a request (289 against 78 µs in the bare HTTP ceiling, same run settings): on 2 shared cores
     * every core-second the driver spends is one the server under test does not get, and with the JDK
     * client the "bare HTTP ceiling" measured mostly the driver (1.29 cores against the server's 0.43).
     */
    private final CloseableHttpClient http;
    private final ExecutorService senders;
    private final int concurrency;
    private final String[] templates;
    /** When each item was sent (or due), by item id: the start of its end-to-end latency. */
    final Map<String, Long> sentAt = new ConcurrentHashMap<>();

    /** What the items say ({@code -Dbench.texts}, docs/dedup.md "End-to-end throughput with merging on"). */
    enum Texts {
        /** the data set's posts in turn: with merging off, the scale-out figures */
        POSTS,
        /** every item a text of its own from two posts' halves, a near neighbour of some 200 others: merging's worst case */
        HALVES,
        /** the posts' clauses recombined, one item in ten a re-post of an earlier one: see {@link #mixedContent} */
        MIXED
    }

    /** Per post: its web-form body with markers for the item id and the content, and the halves of its text. */
    private final String[] distinctTemplates;
    private final String[] firstHalves;
    private final String[] secondHalves;
    /** Every clause of every post, as often as the posts have it (boilerplate included), and each post's count. */
    private final String[] clauses;
    private final int[] clausesPerPost;
    private final Texts texts;
    private final AtomicLong textSeq = new AtomicLong();

    IntakeLoad(int concurrency) {
        this(concurrency, Texts.POSTS);
    }

    IntakeLoad(int concurrency, Texts texts) {
        this.concurrency = concurrency;
        this.texts = texts;
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setMaxConnTotal(concurrency)
                        .setMaxConnPerRoute(concurrency)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(5))
                                .setSocketTimeout(Timeout.ofSeconds(30)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(30)).build())
                .disableAutomaticRetries().disableCookieManagement().build();
        this.senders = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "intake-load");
            t.setDaemon(true);
            return t;
        });
        // All 2,816 posts of the data set: the driver cycles through them (merging off), or combines their
        // halves (distinct texts); the 8-post copy the functional tests use made every text recur every 8 items.
        List<BoardFixtures.Post> raw = BoardFixtures.dataSet();
        List<Instant> written = raw.stream().map(p -> written(p.time())).toList();
        Instant first = written.stream().min(Instant::compareTo).orElseThrow();
        Instant last = written.stream().max(Instant::compareTo).orElseThrow();
        Instant now = Instant.now();
        List<BoardFixtures.Post> dataSet = new java.util.ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            BoardFixtures.Post p = raw.get(i);
            dataSet.add(new BoardFixtures.Post(p.id(), p.user(), p.subject(), recent(written.get(i), first, last, now).toString(), p.body(),
                    p.reply(), p.replyTime()));
        }
        // the item id goes where the marker is, so a request costs a string concatenation, not a JSON write
        this.templates = dataSet.stream().map(p -> p.asWebform("@ID@", null)).toArray(String[]::new);
        this.distinctTemplates = dataSet.stream().map(p -> new BoardFixtures.Post(p.id(), p.user(), p.subject(), p.time(), "@CONTENT@", null, null))
                .map(p -> p.asWebform("@ID@", null)).toArray(String[]::new);
        List<String> bodies = dataSet.stream().map(BoardFixtures.Post::body).toList();
        this.firstHalves = bodies.stream().map(b -> b.substring(0, half(b))).toArray(String[]::new);
        this.secondHalves = bodies.stream().map(b -> b.substring(half(b))).toArray(String[]::new);
        List<String> all = new java.util.ArrayList<>();
        this.clausesPerPost = new int[bodies.size()];
        for (int i = 0; i < bodies.size(); i++) {
            List<String> own = clauses(bodies.get(i));
            clausesPerPost[i] = own.size();
            all.addAll(own);
        }
        this.clauses = all.toArray(String[]::new);
    }

    /** A text cut after each clause's end (。！？；，、 their half-width forms, a line break), each kept with its mark. */
    static List<String> clauses(String text) {
        return java.util.Arrays.stream(text.split("(?<=[。！？；，、!?;,\\n])")).filter(t -> !t.isBlank()).toList();
    }

    /** A post's own time (the board's 2019/4/25 9:32:09, a few rows 2019-04-08 08:37:20), read as the hub reads it. */
    private static Instant written(String time) {
        return Instant.parse(city.hotline.hub.ticket.MappingFunctions.utc(time.replace('-', '/')));
    }

    /**
     * The post's time moved into the six days before the run, in the same order and proportions: a live
     * hotline's reports are written days, not years, before they arrive. With the data set's own dates
     * (December 2018 to April 2019) every index entry is older than the dedup window and its margin, so the
     * retention job (five minutes after the hub starts) deleted the whole index in the middle of a run with
     * merging on, which a hub in service never does: it deletes, each hour, what aged out in that hour.
     */
    static Instant recent(Instant written, Instant first, Instant last, Instant now) {
        long span = Math.max(1, Duration.between(first, last).toSeconds());
        long into = Duration.between(first, written).toSeconds();
        return now.minus(Duration.ofDays(6)).plusSeconds(into * Duration.ofDays(6).toSeconds() / span).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private static int half(String s) {
        int mid = s.length() / 2;
        return mid > 0 && Character.isHighSurrogate(s.charAt(mid - 1)) ? mid + 1 : mid;
    }

    /**
     * Item n's request body. With distinct texts, n is not used: every phase counts its items from 0, so
     * the texts are numbered by one sequence over the whole run instead (else the full-speed phase's item
     * 7 would be the warm-up's item 7 again, the same text).
     */
    String body(String itemId, long n) {
        if (texts != Texts.POSTS) {
            return distinctBody(itemId, textSeq.getAndIncrement());
        }
        String t = templates[(int) (n % templates.length)];
        int at = t.indexOf("@ID@");
        return t.substring(0, at) + itemId + t.substring(at + 4);
    }

    /** The body with the {@code k}-th text of {@link Texts#HALVES} or {@link Texts#MIXED}. */
    String distinctBody(String itemId, long k) {
        int p = templates.length;
        long of = texts == Texts.MIXED ? repostOf(k) : k;
        int a = (int) (of % p);
        String t = distinctTemplates[a];
        int at = t.indexOf("@ID@");
        int c = t.indexOf("@CONTENT@");
        String text = texts == Texts.MIXED ? mixedContent(k) : distinctContent(k, a, p);
        String content = new String(JsonStringEncoder.getInstance().quoteAsString(text));
        return t.substring(0, at) + itemId + t.substring(at + 4, c) + content + t.substring(c + 9);
    }

    /**
     * Item n's text when every text must be distinct, for a run with merging on (docs/dedup.md, "End-to-end
     * throughput with merging on"): the first half of post {@code n mod P} and the second half of another
     * post (the pair differs for every n below P(P-1), about 7.8 million), after a place of its own: a
     * 小区, a 大厦 and a building numbered from n ("a3小区k7大厦0042栋", 676 million combinations). Two items
     * share at most one half, so the index still finds candidates and the decision still checks them, but
     * each names an estate, landmark or building the other never mentions, so the place rule keeps every
     * two apart (names of a letter and a digit are never read as typos of each other).
     */
    String distinctContent(long n, int a, int p) {
        int b = (int) ((a + 1 + (n / p) % (p - 1)) % p);
        // the estate changes fastest: names of a letter and a digit are never two characters swapped (a3 / 3a),
        // which the place rule would take for a typo; building numbers could be (0042 / 0024)
        int estate = (int) (n % 260);
        int landmark = (int) ((n / 260) % 260);
        long building = (n / (260 * 260)) % 10_000;
        return name(estate) + "小区" + name(landmark) + "大厦" + String.format("%04d", building) + "栋：" + firstHalves[a] + secondHalves[b];
    }

    /** One item in {@value #REPOST_EVERY} re-posts the item {@value #REPOST_GAP} before it. */
    static final int REPOST_EVERY = 10;
    static final int REPOST_GAP = 5_001;
    private static final String[] REMARKS = {"再次反映！", "（重发）", "至今未解决。", "请尽快处理！"};

    /** The item whose text item k re-posts: k itself for a new report. */
    static long repostOf(long k) {
        // the gap is one more than a multiple of REPOST_EVERY, so a re-post never re-posts a re-post
        return k % REPOST_EVERY == REPOST_EVERY - 1 && k >= REPOST_GAP ? k - REPOST_GAP : k;
    }

    /**
     * Item k's text in {@link Texts#MIXED}, a week of reports as the data set has them: as many clauses as
     * post {@code k mod P} has (at least 3), each drawn at random from all the posts' clauses as often as
     * they occur (so openings such as 尊敬的领导：您好！ and closings come as often as in the posts, and so do
     * the places the clauses name). Two new reports share a clause now and then, a place more often, and
     * almost never enough text to merge. One item in {@value #REPOST_EVERY} is instead a re-post of the item
     * {@value #REPOST_GAP} before it, by the same citizen (the same post's name, title and time) with a remark
     * added: about the rate of the data set's own near duplicates (254 pairs labelled "merge" among its 2,816
     * posts, docs/dedup.md "Quality, measured"); those merge.
     */
    String mixedContent(long k) {
        long of = repostOf(k);
        String text = recombined(of);
        return of == k ? text : text + REMARKS[(int) ((k / REPOST_EVERY) % REMARKS.length)];
    }

    private String recombined(long k) {
        int count = Math.max(3, clausesPerPost[(int) (k % clausesPerPost.length)]);
        // a seed drawn from k, not k itself: seeds k and k+1 would give one sequence shifted by a step
        java.util.SplittableRandom random = new java.util.SplittableRandom(new java.util.SplittableRandom(k).nextLong());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(clauses[random.nextInt(clauses.length)]);
        }
        return text.toString();
    }

    private static String name(int i) {
        return String.valueOf((char) ('a' + i / 10)) + (char) ('0' + i % 10);
    }

    Phase fullSpeed(String name, URI uri, String apiKey, String idPrefix, Duration duration, boolean track) throws InterruptedException {
        return run(name, uri, apiKey, idPrefix, duration, 0, track);
    }

    Phase fixedRate(String name, URI uri, String apiKey, String idPrefix, Duration duration, int perSecond) throws InterruptedException {
        return run(name, uri, apiKey, idPrefix, duration, perSecond, true);
    }

    private Phase run(String name, URI uri, String apiKey, String idPrefix, Duration duration, int perSecond, boolean track)
            throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong redeliveries = new AtomicLong();
        java.util.Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long n = 0;
        while (true) {
            long due = perSecond > 0 ? start + n * 1_000_000_000L / perSecond : System.nanoTime();
            if (due >= end) {
                break;
            }
            while (perSecond > 0 && System.nanoTime() < due) {
                LockSupport.parkNanos(due - System.nanoTime());
            }
            if (!slots.tryAcquire(end - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                break;
            }
            String id = idPrefix + n;
            HttpPost req = new HttpPost(uri);
            req.setEntity(new StringEntity(body(id, n), ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
            if (apiKey != null) {
                req.setHeader("X-Api-Key", apiKey);
            }
            if (track) {
                sentAt.put(id, perSecond > 0 ? due : System.nanoTime());
            }
            n++;
            senders.execute(() -> {
                try {
                    int status = http.execute(req, r -> {
                        String answer = r.getEntity() == null ? "" : EntityUtils.toString(r.getEntity(), StandardCharsets.UTF_8);
                        if (r.getCode() == 202 && answer.contains("\"duplicate\":true")) {
                            redeliveries.incrementAndGet();
                        }
                        return r.getCode();
                    });
                    if (status == 202) {
                        accepted.incrementAndGet();
                        if (track) {
                            acceptedIds.add(id);
                        }
                    } else {
                        refused.incrementAndGet();
                    }
                } catch (IOException | RuntimeException e) {
                    failed.incrementAndGet();
                } finally {
                    slots.release();
                }
            });
        }
        // the requests still in flight belong to this phase
        if (!slots.tryAcquire(concurrency, 60, TimeUnit.SECONDS)) {
            failed.addAndGet(concurrency - slots.availablePermits());
        }
        long stop = System.nanoTime();
        if (track) {
            for (long i = 0; i < n; i++) {
                String id = idPrefix + i;
                if (!acceptedIds.contains(id)) {
                    sentAt.remove(id);
                }
            }
        }
        return new Phase(name, n, accepted.get(), refused.get(), failed.get(), redeliveries.get(), start, stop, List.copyOf(acceptedIds));
    }
}
