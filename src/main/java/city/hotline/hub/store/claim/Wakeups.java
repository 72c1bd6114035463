package city.hotline.hub.store.claim;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-process wake-up signals, by notification channel ({@code hub_inbox}, {@code hub_forward},
 * {@code hub_reply}). {@link PgWakeListener} relays PostgreSQL's notifications here, so a row
 * written by any instance wakes the consumers of every instance; a local writer may also signal
 * directly.
 */
public class Wakeups {

    private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();

    public void register(String channel, Runnable wake) {
        listeners.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(wake);
    }

    public void unregister(String channel, Runnable wake) {
        List<Runnable> list = listeners.get(channel);
        if (list != null) {
            list.remove(wake);
        }
    }

    public void signal(String channel) {
        List<Runnable> list = listeners.get(channel);
        if (list != null) {
            list.forEach(Runnable::run);
        }
    }

    public void signalAll() {
        listeners.values().forEach(list -> list.forEach(Runnable::run));
    }

    public java.util.Set<String> channels() {
        return listeners.keySet();
    }
}
