package dev.inlet.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inlet.core.config.Env;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The trace id the event page shows, and where it links. */
class ConsolePublishedTest {
    private static final String ROOT = "1-5759e988-bd862e3fe1be46a994272793";

    @Test
    void anXRayHeader_showsItsRootAsTheTraceId() {
        assertEquals(Optional.of(ROOT), ConsolePublished.traceId(Optional.of("Root=" + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1")));
        assertEquals(Optional.of(ROOT), ConsolePublished.traceId(Optional.of("Parent=53995c3f42cd8ad8; Root=" + ROOT)));
    }

    @Test
    void aHeaderWithoutAWellFormedRoot_showsNoTraceId() {
        for (String header : new String[] {"", "Parent=53995c3f42cd8ad8;Sampled=1", "Root=1-5759e988",
                "Root=1-5759e988-bd862e3fe1be46a994272793\"><script>", "Root=" + ROOT.toUpperCase()}) {
            assertEquals(Optional.empty(), ConsolePublished.traceId(Optional.of(header)), header);
        }
        assertEquals(Optional.empty(), ConsolePublished.traceId(Optional.empty()));
    }

    @Test
    void underStack_theTraceLinksToTheXRayConsoleOfTheStacksRegion() {
        ConsolePublished deployed = ConsolePublished.deployed(Env.of(Map.of("AWS_REGION", "eu-west-1")));

        assertEquals(Optional.of("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1"
                + "#xray:traces/" + ROOT), deployed.traceUrl(ROOT));
    }

    @Test
    void locally_orWithARegionThatIsNoRegion_theTraceIdIsNotALink() {
        assertEquals(Optional.empty(), ConsolePublished.local(Optional.empty()).traceUrl(ROOT));
        assertEquals(Optional.empty(), ConsolePublished.deployed(Env.of(Map.of("AWS_REGION", "eu-west-1/../evil")))
                .traceUrl(ROOT));
    }
}
