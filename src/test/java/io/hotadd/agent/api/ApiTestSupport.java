package io.hotadd.agent.api;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** Shared by the API tests: an authenticated request, and waiting for a job to get somewhere. */
final class ApiTestSupport {
    static final String TOKEN = "test-token";

    private ApiTestSupport() {
    }

    static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    static String backupBody(String vmName) {
        return "{\"vm\": {\"name\": \"" + vmName + "\"}, \"mode\": \"auto\", \"tags\": {\"policy\": \"gold\"}}";
    }

    /** Polls GET /jobs/{id} until its state is one of {@code states}; answers the state. */
    static String awaitState(String jobId, String... states) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        String now = null;
        while (System.nanoTime() < deadline) {
            now = api().get("/api/v1/jobs/" + jobId).then().statusCode(200).extract().path("state");
            for (String s : states) {
                if (s.equals(now)) {
                    return now;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("job " + jobId + " is still " + now + " after 15 s");
    }
}
