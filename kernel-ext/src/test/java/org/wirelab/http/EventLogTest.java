package org.wirelab.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventLogTest {

    @Test
    void anEventIsFramedAsIdAndDataLines() {
        assertEquals("69643a20320a" + "646174613a2070726963653d34320a" + "0a",
                HexFormat.of().formatHex(EventLog.eventStream(2, "price=42")));
        assertEquals("id: 3\ndata: two\ndata: lines\n\n", new String(EventLog.eventStream(3, "two\r\nlines")));
    }

    @Test
    void idsCountFromOneAndSubscribersGetEachEvent() {
        EventLog log = new EventLog();
        assertEquals(Optional.empty(), log.latest());
        List<String> got = new ArrayList<>();
        EventLog.Subscriber s = new EventLog.Subscriber() {
            @Override
            public void deliver(long id, String event) {
                got.add(id + "=" + event);
            }

            @Override
            public int waitingCount() {
                return 2;
            }
        };
        log.subscribe(s);
        assertEquals(1, log.publish("a"));
        assertEquals(2, log.publish("b"));
        assertEquals(List.of("1=a", "2=b"), got);
        assertEquals(2, log.waiting());
        assertEquals(List.of(Map.entry(2L, "b")), log.after(1));
        assertEquals(Optional.of(Map.entry(2L, "b")), log.latest());
        log.unsubscribe(s);
        log.publish("c");
        assertEquals(List.of("1=a", "2=b"), got);
        assertEquals(0, log.waiting());
    }

    @Test
    void lastEventIdThatIsNotANumberStartsFromTheBeginning() {
        assertEquals(List.of(0L, 0L, 7L, 0L), List.of(EventLog.lastEventId(null), EventLog.lastEventId("x"),
                EventLog.lastEventId(" 7 "), EventLog.lastEventId("-3")));
    }
}
