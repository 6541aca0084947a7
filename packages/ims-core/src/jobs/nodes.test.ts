import { expect, test } from "bun:test";
import { activeJobsPerNode, chooseNode } from "./nodes.ts";
import type { RemoteNodeStatus } from "../service-types.ts";

const node = (xname: string, over: Partial<RemoteNodeStatus> = {}): RemoteNodeStatus => ({
  xname,
  sshStatus: "SSH connection established.",
  podmanStatus: "Podman present at /usr/bin/podman",
  nodeArch: "x86_64",
  numCurrentJobs: 0,
  ableToRunJobs: true,
  ...over,
});

test("active jobs per node skip in-cluster and finished jobs", () => {
  const counts = activeJobsPerNode([
    { remote_build_node: "a", status: "creating" },
    { remote_build_node: "a", status: "building_image" },
    { remote_build_node: "a", status: "success" },
    { remote_build_node: "b", status: "error" },
    { remote_build_node: "", status: "creating" },
  ]);
  expect([...counts]).toEqual([["a", 2]]);
});

test("eligible: able to run jobs and same arch", () => {
  const probes = [node("a", { ableToRunJobs: false }), node("b", { nodeArch: "aarch64" }), node("c")];
  expect(chooseNode(probes, new Map(), "x86_64")).toBe("c");
  expect(chooseNode(probes, new Map(), "aarch64")).toBe("b");
  expect(chooseNode([node("a", { ableToRunJobs: false })], new Map(), "x86_64")).toBe("");
  expect(chooseNode([], new Map(), "x86_64")).toBe("");
});

test("fewest reserved jobs wins; ties by probe count (-1 as 10000), then store order", () => {
  const probes = [node("a", { numCurrentJobs: 3 }), node("b", { numCurrentJobs: -1 }), node("c", { numCurrentJobs: 3 })];
  expect(chooseNode(probes, new Map([["a", 1]]), "x86_64")).toBe("c");
  expect(chooseNode(probes, new Map([["a", 1], ["c", 1]]), "x86_64")).toBe("b");
  expect(chooseNode(probes, new Map(), "x86_64")).toBe("a");
  expect(chooseNode([node("a", { numCurrentJobs: -1 }), node("b", { numCurrentJobs: 9999 })], new Map(), "x86_64")).toBe("b");
});

test("a node removed while probing is not chosen", () => {
  expect(chooseNode([node("a"), node("b")], new Map(), "x86_64", new Set(["b"]))).toBe("b");
});
