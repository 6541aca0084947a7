import { expect, test } from "bun:test";
import { describeCall } from "./calls.ts";

const S = "https://10.0.0.1:6443";

test("a call is named by verb and resource, never by the object's name", () => {
  const cases: [string, string, string, string][] = [
    ["POST", "/api/v1/namespaces/ims/configmaps", "CREATE", "configmaps"],
    ["GET", "/api/v1/namespaces/services/secrets/hpe-signing-key", "GET", "secrets"],
    ["GET", "/apis/batch/v1/namespaces/ims/jobs?labelSelector=x", "LIST", "jobs"],
    ["GET", "/apis/batch/v1/namespaces/ims/jobs?watch=true&resourceVersion=5", "WATCH", "jobs"],
    ["DELETE", "/apis/networking.istio.io/v1beta1/namespaces/ims/destinationrules/cray-ims-1-dr", "DELETE", "destinationrules"],
    ["delete", "/apis/batch/v1/namespaces/ims/jobs", "DELETECOLLECTION", "jobs"],
    ["PATCH", "/apis/batch/v1/namespaces/ims/jobs/j/status", "PATCH", "jobs"],
    ["GET", "/api/v1/namespaces/ims", "GET", "namespaces"],
    ["GET", "/api/v1/namespaces", "LIST", "namespaces"],
  ];
  for (const [method, path, verb, resource] of cases) {
    expect(describeCall(method, S + path)).toMatchObject({ verb, resource, method: method.toUpperCase() });
  }
});
