import { describeApprovalScenarios } from "./test-support/approval-scenarios.ts";

describeApprovalScenarios("generateText");
