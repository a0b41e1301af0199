package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.support.topics.TopicsTool;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The topic step of ./quintet run reports what TopicsTool found: topics created and topics that were there. */
class TopicStepTest {

    @Test
    void aFreshBrokerReportsEveryTopicCreatedAndNoneAlreadyThere() {
        List<String> all = List.of("a", "b", "c");
        TopicsTool.Report fresh = new TopicsTool.Report(all, List.of(), List.of(), List.of());
        assertThat(PipelineProcesses.topicStep(fresh)).isEqualTo("3 created, 0 already there");
    }

    @Test
    void aSecondRunReportsNoneCreatedAndEveryTopicAlreadyThere() {
        List<String> all = List.of("a", "b", "c");
        TopicsTool.Report again = new TopicsTool.Report(List.of(), all, List.of(), List.of());
        assertThat(PipelineProcesses.topicStep(again)).isEqualTo("0 created, 3 already there");
    }

    @Test
    void driftFromTheCatalogueIsShown() {
        TopicsTool.Report drifted = new TopicsTool.Report(
                List.of(), List.of("a"), List.of(), List.of(new TopicsTool.Drift("a", "partitions", "6", "3")));
        assertThat(PipelineProcesses.topicStep(drifted)).contains("drift").contains("partitions expected 6 but is 3");
    }
}
