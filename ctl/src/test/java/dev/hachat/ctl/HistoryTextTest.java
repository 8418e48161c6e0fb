package dev.hachat.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.ctl.output.HistoryText;
import org.junit.jupiter.api.Test;

class HistoryTextTest {
  @Test
  void a_heading_the_participants_and_one_line_per_entry() throws Exception {
    String text =
        HistoryText.render(
            StatusReportTest.json(
                "{'chatId':'c1','subject':'billing','userData':{'order':'A-17'},"
                    + "'createdAt':'2025-06-02T09:00:00Z','closedAt':'2025-06-02T09:10:00Z',"
                    + "'closeReason':'CUSTOMER_LEFT','entryCount':3,'writtenBy':'cs1',"
                    + "'participants':[{'participantId':'p1','type':'Client','nickname':'Ann',"
                    + "'left':true},{'participantId':'p2','type':'Agent','nickname':'Bob',"
                    + "'left':false}],'entries':["
                    + "{'index':1,'type':'ParticipantJoined','participantId':'p1','nickname':'Ann',"
                    + "'text':null,'utcTime':'2025-06-02T09:00:00Z'},"
                    + "{'index':2,'type':'Message','participantId':'p2','nickname':null,"
                    + "'text':'two\\nlines','utcTime':'2025-06-02T09:00:05Z'},"
                    + "{'index':3,'type':'Message','participantId':'p1','nickname':'Ann',"
                    + "'text':'bye','utcTime':'2025-06-02T09:09:59Z'}]}"));
    assertThat(text)
        .isEqualTo(
            "chat c1: closed 2025-06-02T09:10:00Z (CUSTOMER_LEFT), opened 2025-06-02T09:00:00Z,"
                + " 3 entries, written by cs1\n"
                + "subject: billing\n"
                + "user data: {\"order\":\"A-17\"}\n"
                + "participants: Ann (Client, left), Bob (Agent)\n"
                + "#  TIME                  WHO  TYPE               TEXT\n"
                + "1  2025-06-02T09:00:00Z  Ann  ParticipantJoined\n"
                + "2  2025-06-02T09:00:05Z  Bob  Message            two⏎lines\n"
                + "3  2025-06-02T09:09:59Z  Ann  Message            bye\n");
  }
}
