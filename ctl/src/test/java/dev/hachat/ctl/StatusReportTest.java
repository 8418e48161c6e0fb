package dev.hachat.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hachat.ctl.admin.ClusterView;
import dev.hachat.ctl.output.StatusReport;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusReportTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long NOW = 1_795_000_000_000L;

  static JsonNode json(String s) throws Exception {
    return JSON.readTree(s.replace('\'', '"'));
  }

  static final String CLUSTER =
      "{'instanceId':'cs1','leaseValid':true,'instances':["
          + "{'instanceId':'cs2','self':false,'alive':true,'state':'disabled','sessions':3,"
          + "'limit':10000,'webapi':'127.0.0.1:9180','esp':'127.0.0.1:9181',"
          + "'admin':'127.0.0.1:9182','heartbeat':812,'startedAt':"
          + (NOW - 3_723_000)
          + ",'version':'0.1.0'},"
          + "{'instanceId':'cs1','self':true,'alive':true,'state':'normal','sessions':40,"
          + "'limit':10000,'webapi':'127.0.0.1:9080','esp':'127.0.0.1:9081',"
          + "'admin':'127.0.0.1:9082','heartbeat':900,'startedAt':"
          + (NOW - 61_500)
          + ",'version':'0.1.0'},"
          + "{'instanceId':'cs3','self':false,'alive':false,'state':'normal','sessions':7,"
          + "'limit':10000,'webapi':'127.0.0.1:9280','esp':'127.0.0.1:9281',"
          + "'admin':'127.0.0.1:9282','heartbeat':77,'startedAt':1,'version':'0.1.0'}]}";

  static ClusterView view() throws Exception {
    return ClusterView.of("127.0.0.1:9082", json(CLUSTER));
  }

  @Test
  void the_table_from_cluster_and_health() throws Exception {
    JsonNode report =
        StatusReport.fromCluster(
            view(),
            Map.of(
                "cs1",
                json(
                    "{'status':'UP','state':'normal','acceptingChats':true,'sessions':42,"
                        + "'rooms':17,'store':'AVAILABLE','pid':11}")),
            Map.of("cs2", "GET 127.0.0.1:9182/health: no answer within 10s"));
    assertThat(StatusReport.table(report, NOW))
        .isEqualTo(
            "INSTANCE  STATE     ALIVE  NEW CHATS  SESSIONS  ROOMS  STORE      HEARTBEAT  VERSION"
                + "  UPTIME  WEBAPI          ESP             ADMIN\n"
                + "cs1       normal    yes    yes        42/10000  17     AVAILABLE  #900       0.1.0  "
                + "  1m1s    127.0.0.1:9080  127.0.0.1:9081  127.0.0.1:9082\n"
                + "cs2       disabled  yes    -          3/10000   -      -          #812       0.1.0  "
                + "  1h2m3s  127.0.0.1:9180  127.0.0.1:9181  127.0.0.1:9182\n"
                + "cs3       failed    no     -          7/10000   -      -          #77        0.1.0  "
                + "  -       127.0.0.1:9280  127.0.0.1:9281  127.0.0.1:9282\n"
                + "seen by cs1 (127.0.0.1:9082), lease valid\n"
                + "cs2: /health not read: GET 127.0.0.1:9182/health: no answer within 10s\n");
  }

  @Test
  void the_json_rows_carry_the_same_fields_and_the_raw_health() throws Exception {
    JsonNode report =
        StatusReport.fromCluster(
            view(),
            Map.of("cs1", json("{'state':'draining','acceptingChats':false,'sessions':41}")),
            Map.of());
    JsonNode cs1 = report.path("instances").get(0);
    assertThat(report.path("source").asText()).isEqualTo("cs1");
    assertThat(cs1.path("instanceId").asText()).isEqualTo("cs1");
    assertThat(cs1.path("state").asText()).as("health is fresher").isEqualTo("draining");
    assertThat(cs1.path("registryState").asText()).isEqualTo("normal");
    assertThat(cs1.path("acceptingChats").asBoolean(true)).isFalse();
    assertThat(cs1.path("sessions").asLong()).isEqualTo(41);
    assertThat(cs1.path("health").path("state").asText()).isEqualTo("draining");
    JsonNode cs3 = report.path("instances").get(2);
    assertThat(cs3.path("state").asText()).isEqualTo("failed");
    assertThat(cs3.path("acceptingChats").isNull()).isTrue();
    assertThat(cs3.path("store").isNull()).isTrue();
    assertThat(cs3.has("health")).isFalse();
  }

  @Test
  void the_table_from_a_web_api_servers_instances() throws Exception {
    JsonNode table =
        json(
            "{'webApiServer':{'id':'gms1'},'instances':[{'instanceId':'cs1','state':'restoring',"
                + "'alive':true,'suspect':false,'takesNewChats':true,'sessions':5,'limit':100,"
                + "'lastHeartbeatMillisAgo':180,'version':'v','startedAt':"
                + (NOW - 5000)
                + ",'webapi':'a:1','esp':'a:2','admin':'a:3','kpi':{'store_available':false,'rooms_hosted':4}}],"
                + "'webApiServers':[{'id':'gms1','state':'normal','address':'127.0.0.1:8090'}]}");
    JsonNode report = StatusReport.fromWebApi("127.0.0.1:8090", table);
    assertThat(report.path("instances").get(0).path("store").asText()).isEqualTo("UNAVAILABLE");
    assertThat(StatusReport.table(report, NOW))
        .isEqualTo(
            "INSTANCE  STATE      ALIVE  NEW CHATS  SESSIONS  ROOMS  STORE        HEARTBEAT  VERSION"
                + "  UPTIME  WEBAPI  ESP  ADMIN\n"
                + "cs1       restoring  yes    yes        5/100     4      UNAVAILABLE  180ms ago  v    "
                + "    5s      a:1     a:2  a:3\n"
                + "seen by gms1 (127.0.0.1:8090)\n"
                + "web API server gms1: normal, 127.0.0.1:8090\n");
  }
}
