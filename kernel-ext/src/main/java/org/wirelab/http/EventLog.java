package org.wirelab.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The events a demo server publishes for {@code /poll}, {@code /longpoll} and {@code /events}, with
 * ids 1, 2, ... in publishing order, and the connections waiting for the next one. One log per
 * server; {@link HttpDemoServer} and {@code Http2DemoServer} both keep theirs here, so
 * {@code publish(event)} and {@code waiting()} mean the same on both.
 *
 * <p>An event on an {@code /events} stream is framed as text/event-stream (HTML Living Standard
 * §9.2), one {@code data:} line per line of the event, for event 2 {@code "price=42"}:
 * <pre>
 * 69 64 3a 20 32 0a 64 61 74 61 3a 20 70 72 69 63 65 3d 34 32 0a 0a   id: 2\ndata: price=42\n\n
 * </pre>
 */
public final class EventLog {

    /** A connection with requests waiting for events ({@code /longpoll}, {@code /events}). */
    public interface Subscriber {
        /** Hands event {@code id} over; called on the publishing thread, so it must pass it to its event loop. */
        void deliver(long id, String event);

        /** How many of its requests wait for an event now, e.g. {@code 1}. */
        int waitingCount();
    }

    private final List<String> events = new ArrayList<>();
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

    /** Appends {@code event}, e.g. {@code "price=42"}, and hands it to every subscriber; returns its id (1, 2, ...). */
    public long publish(String event) {
        Objects.requireNonNull(event, "event");
        long id;
        synchronized (events) {
            events.add(event);
            id = events.size();
        }
        for (Subscriber s : subscribers) {
            s.deliver(id, event);
        }
        return id;
    }

    /** The events published so far, oldest first, e.g. {@code [price=41, price=42]}. */
    public List<String> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The newest event as id and text, e.g. {@code 2=price=42}; empty when none was published. */
    public Optional<Map.Entry<Long, String>> latest() {
        synchronized (events) {
            return events.isEmpty() ? Optional.empty()
                    : Optional.of(Map.entry((long) events.size(), events.get(events.size() - 1)));
        }
    }

    /** The id of the newest event, e.g. {@code 2}; 0 when none. */
    public long lastId() {
        synchronized (events) {
            return events.size();
        }
    }

    /** The events with ids above {@code id}, as id and text, oldest first, e.g. {@code after(1)} is {@code [2=price=42]}. */
    public List<Map.Entry<Long, String>> after(long id) {
        synchronized (events) {
            List<Map.Entry<Long, String>> out = new ArrayList<>();
            for (long i = Math.max(id, 0) + 1; i <= events.size(); i++) {
                out.add(Map.entry(i, events.get((int) i - 1)));
            }
            return out;
        }
    }

    /** From now on {@code s} gets every published event. */
    public void subscribe(Subscriber s) {
        subscribers.add(s);
    }

    /** {@code s} gets no more events (its connection closed). */
    public void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    /** How many requests wait for an event now, on all connections, e.g. {@code 1}. */
    public int waiting() {
        return subscribers.stream().mapToInt(Subscriber::waitingCount).sum();
    }

    /** One event as text/event-stream bytes (UTF-8), e.g. {@code "id: 2\ndata: price=42\n\n"}. */
    public static byte[] eventStream(long id, String event) {
        StringBuilder text = new StringBuilder("id: ").append(id).append('\n');
        for (String line : event.split("\r\n|\r|\n", -1)) {
            text.append("data: ").append(line).append('\n');
        }
        return text.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The id a {@code Last-Event-ID} field value names, e.g. {@code "2"} is 2; absent or not a number is 0 (from the start). */
    public static long lastEventId(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return "EventLog " + events() + ", " + waiting() + " waiting";
    }
}
