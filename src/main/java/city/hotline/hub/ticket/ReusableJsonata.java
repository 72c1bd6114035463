package city.hotline.hub.ticket;

import java.lang.reflect.Field;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.dashjoin.jsonata.Jsonata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSONata expression, parsed once per thread and evaluated any number of times.
 *
 * <p>Why this is needed: jsonata-java 0.9.9 (the version Camel 4.17 brings) is not built for reuse of a
 * parsed expression. Each evaluation stores its frame in the instance's {@code environment} field (and
 * in the instance a static thread-local points at), and the next evaluation chains its frame onto that
 * one. A reused instance therefore looks variables up through one more frame per evaluation: after a
 * few thousand items the mapping stage spent all its CPU in {@code Frame.lookup} (seen in issue 7's
 * benchmark). Upstream fixed it after 0.9.9 (dashjoin/jsonata-java#93, PR #103), in no release yet.
 * So each thread has its own instance, and its {@code environment} is set back to the frame it had
 * after parsing before every evaluation (by reflection: the field is package-private). Without that
 * access, or for an expression that reads the evaluation's clock or calls {@code $eval}
 * ({@code $now}, {@code $millis}, {@code $eval}: 0.9.9 takes those from whichever instance the
 * thread parsed last), the expression is parsed for every evaluation, as Camel's component does.
 */
public final class ReusableJsonata {

    private static final Logger LOG = LoggerFactory.getLogger(ReusableJsonata.class);
    private static final Pattern NEEDS_FRESH_INSTANCE = Pattern.compile("\\$(now|millis|eval)\\s*\\(");
    private static final Field ENVIRONMENT = environmentField();

    private record Parsed(Jsonata expression, Jsonata.Frame base) {
    }

    private final String text;
    private final boolean perCall;
    private final ThreadLocal<Parsed> parsed;

    /** @throws com.dashjoin.jsonata.JException when the text does not parse */
    public ReusableJsonata(String text) {
        this.text = text;
        this.perCall = ENVIRONMENT == null || NEEDS_FRESH_INSTANCE.matcher(text).find();
        Jsonata first = Jsonata.jsonata(text);
        this.parsed = ThreadLocal.withInitial(() -> parse(text));
        if (!perCall) {
            parsed.set(new Parsed(first, environmentOf(first)));
        }
    }

    /**
     * Evaluates the expression on plain Java input (maps, lists, strings, numbers, booleans).
     *
     * @param functions binds the functions the expression may call (may be null)
     */
    public Object evaluate(Object input, Consumer<Jsonata.Frame> functions) {
        Jsonata expression;
        if (perCall) {
            expression = Jsonata.jsonata(text);
        } else {
            Parsed p = parsed.get();
            expression = p.expression();
            setEnvironment(expression, p.base());
        }
        Jsonata.Frame frame = expression.createFrame();
        if (functions != null) {
            functions.accept(frame);
        }
        return expression.evaluate(input, frame);
    }

    /** How many frames the thread's instance would look variables up through now; for tests. */
    int environmentDepth() {
        if (perCall) {
            return 0;
        }
        int depth = 0;
        try {
            Field parent = Jsonata.Frame.class.getDeclaredField("parent");
            parent.setAccessible(true);
            for (Object f = ENVIRONMENT.get(parsed.get().expression()); f != null; f = parent.get(f)) {
                depth++;
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return depth;
    }

    boolean parsedPerCall() {
        return perCall;
    }

    private static Parsed parse(String text) {
        Jsonata j = Jsonata.jsonata(text);
        return new Parsed(j, environmentOf(j));
    }

    private static Jsonata.Frame environmentOf(Jsonata j) {
        try {
            return (Jsonata.Frame) ENVIRONMENT.get(j);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setEnvironment(Jsonata j, Jsonata.Frame frame) {
        try {
            ENVIRONMENT.set(j, frame);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field environmentField() {
        try {
            Field f = Jsonata.class.getDeclaredField("environment");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("jsonata-java has no accessible Jsonata.environment ({}); every JSONata expression is parsed for each evaluation", e.toString());
            return null;
        }
    }
}
