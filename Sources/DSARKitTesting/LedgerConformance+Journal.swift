import DSARKit
import Foundation

extension LedgerConformance {
    var journalChecks: [Check] {
        [
            Check(name: "begin journals the plan, every identifier and every step") { ledger, log in
                let name = "begin journals the plan, every identifier and every step"
                let plan = try Self.plan("run-begin", steps: 3)
                try await ledger.begin(plan, at: Self.date(1))
                let runs = try await ledger.unfinishedRuns()
                log.expect(runs.map(\.plan.requestID) == ["run-begin"], name, "unfinished runs: \(runs.map(\.plan.requestID))")
                let run = runs.first
                log.expect(run?.plan.identifiers.map(\.description) == plan.identifiers.map(\.description), name,
                           "identifiers read back: \(run?.plan.identifiers.count ?? 0) of \(plan.identifiers.count)")
                log.expect(run?.plan.steps == plan.steps, name, "steps read back differ")
                log.expect(run?.done == [], name, "done: \(String(describing: run?.done))")
                log.expect(try await ledger.runStatus("run-begin") == .executing, name, "status is not executing")
                let events = try await Self.events(ledger, "run-begin")
                log.expect(events == ["run.planned"], name,
                           "audit events: \(events)")
                log.expect(try await ledger.runStatus("no-such-run") == nil, name, "an unknown run has a status")
                log.expect(try await ledger.certificate(of: "run-begin") == nil, name, "an unfinished run has a certificate")
            },
            Check(name: "a run id is begun once") { ledger, log in
                let plan = try Self.plan("run-twice", steps: 1)
                try await ledger.begin(plan, at: Self.date(1))
                log.expect(try await Self.refused(ledger) { try await ledger.begin(plan, at: Self.date(2)) }, "a run id is begun once",
                           "a second begin was not refused, or wrote to the audit log")
            },
            Check(name: "steps are marked started, done (once) and failed") { ledger, log in
                let name = "steps are marked started, done (once) and failed"
                let plan = try Self.plan("run-steps", steps: 3)
                try await ledger.begin(plan, at: Self.date(1))
                try await ledger.markStarted("run-steps", step: 0)
                try await ledger.markDone("run-steps", step: plan.steps[0], at: Self.date(2))
                try await ledger.markDone("run-steps", step: plan.steps[0], at: Self.date(3))
                try await ledger.markStarted("run-steps", step: 0)
                try await ledger.markFailed("run-steps", step: plan.steps[1],
                                            error: DSARError(.storeFailure, "a test failure"), at: Self.date(4))
                let run = try await ledger.unfinishedRun("run-steps")
                log.expect(run?.done == [0], name, "done: \(String(describing: run?.done))")
                let events = try await Self.events(ledger, "run-steps")
                log.expect(events == ["run.planned", "step.done", "step.failed"], name,
                           "audit events: \(events)")
                log.expect(try await ledger.runStatus("run-steps") == .executing, name, "a failed step closed the run")
                log.expect(try await Self.refused(ledger) { try await ledger.markDone("run-steps", step: Self.plan("x", steps: 9).steps[8],
                                                                                      at: Self.date(5)) },
                           name, "a step the run does not have was marked done")
                log.expect(try await Self.refused(ledger) { try await ledger.markDone("no-such-run", step: plan.steps[0], at: Self.date(5)) },
                           name, "a step of an unknown run was marked done")
            },
            Check(name: "replan keeps the done steps and replaces the others") { ledger, log in
                let name = "replan keeps the done steps and replaces the others"
                let plan = try Self.plan("run-replan", steps: 3)
                try await ledger.begin(plan, at: Self.date(1))
                try await ledger.markDone("run-replan", step: plan.steps[0], at: Self.date(2))
                var fresh = try Self.plan("run-replan", steps: 4, firstStep: 1)
                fresh.steps.insert(plan.steps[0], at: 0)
                try await ledger.replan(fresh, keeping: [0], reason: "a row to delete changed", at: Self.date(3))
                let run = try await ledger.unfinishedRun("run-replan")
                log.expect(run?.plan.steps.count == 5 && run?.done == [0], name,
                           "steps: \(run?.plan.steps.count ?? 0), done: \(String(describing: run?.done))")
                try await ledger.markDone("run-replan", step: fresh.steps[4], at: Self.date(4))
                log.expect(try await ledger.unfinishedRun("run-replan")?.done == [0, 4], name, "a re-planned step cannot be marked done")
                let events = try await Self.events(ledger, "run-replan")
                log.expect(events == ["run.planned", "step.done", "run.replanned", "step.done"], name,
                           "audit events: \(events)")
            },
            Check(name: "unfinished runs come oldest first") { ledger, log in
                for (offset, id) in ["run-c", "run-a", "run-b"].enumerated() {
                    try await ledger.begin(try Self.plan(RunID(id), steps: 1), at: Self.date(offset))
                }
                try await ledger.finish("run-a", status: .completed, certificate: "{}", detail: "verified", at: Self.date(9))
                let ids = try await ledger.unfinishedRuns().map(\.plan.requestID)
                log.expect(ids == ["run-c", "run-b"], "unfinished runs come oldest first", "unfinished runs: \(ids)")
            },
        ]
    }

    var closingChecks: [Check] {
        [
            Check(name: "finish stores the certificate, purges the plan, and closes the run once") { ledger, log in
                let name = "finish stores the certificate, purges the plan, and closes the run once"
                let plan = try Self.plan("run-finish", steps: 2)
                try await ledger.begin(plan, at: Self.date(1))
                try await ledger.markDone("run-finish", step: plan.steps[0], at: Self.date(2))
                try await ledger.finish("run-finish", status: .incomplete, certificate: #"{"signed":true}"#, detail: "verified: 1 items still found",
                                        at: Self.date(3))
                log.expect(try await ledger.runStatus("run-finish") == .incomplete, name, "status is not incomplete")
                log.expect(try await ledger.certificate(of: "run-finish") == #"{"signed":true}"#, name, "the certificate was not stored")
                log.expect(try await ledger.run("run-finish")?.plan == nil, name, "the plan (it names records and files) was not purged")
                log.expect(try await ledger.unfinishedRun("run-finish") == nil, name, "a finished run is still unfinished")
                log.expect(try await Self.events(ledger, "run-finish").last == "run.incomplete", name, "no run.incomplete audit entry")
                log.expect(try await Self.refused(ledger) { try await ledger.markDone("run-finish", step: plan.steps[1], at: Self.date(4)) },
                           name, "a step of a finished run was marked done")
                log.expect(try await Self.refused(ledger) {
                    try await ledger.finish("run-finish", status: .completed, certificate: "{}", detail: "again", at: Self.date(4))
                }, name, "a finished run was finished again")
                log.expect(try await Self.refused(ledger) { try await ledger.abandon("run-finish", at: Self.date(4)) }, name,
                           "a finished run was abandoned")
                log.expect(try await Self.refused(ledger) {
                    try await ledger.replan(plan, keeping: [0], reason: "again", at: Self.date(4))
                }, name, "a finished run was re-planned")
                log.expect(try await ledger.certificate(of: "run-finish") == #"{"signed":true}"#, name, "the certificate changed")
            },
            Check(name: "abandon closes an unfinished run and says how far it got") { ledger, log in
                let name = "abandon closes an unfinished run and says how far it got"
                let plan = try Self.plan("run-abandon", steps: 3)
                try await ledger.begin(plan, at: Self.date(1))
                try await ledger.markDone("run-abandon", step: plan.steps[1], at: Self.date(2))
                try await ledger.abandon("run-abandon", at: Self.date(3))
                log.expect(try await ledger.runStatus("run-abandon") == .abandoned, name, "status is not abandoned")
                log.expect(try await ledger.run("run-abandon")?.plan == nil, name, "the plan was not purged")
                log.expect(try await ledger.unfinishedRuns().isEmpty, name, "an abandoned run is still unfinished")
                let last = try await ledger.auditEntries().last
                log.expect(last?.event == "run.abandoned" && last?.detail.hasPrefix("1 of 3 steps were done") == true, name,
                           "last audit entry: \(last?.event ?? "none") \(last?.detail ?? "")")
                log.expect(try await Self.refused(ledger) { try await ledger.abandon("run-abandon", at: Self.date(4)) }, name,
                           "an abandoned run was abandoned again")
                log.expect(try await Self.refused(ledger) { try await ledger.abandon("no-such-run", at: Self.date(4)) }, name,
                           "an unknown run was abandoned")
            },
            Check(name: "a grouped write stores every change or none") { ledger, log in
                let name = "a grouped write stores every change or none"
                let first = try Self.plan("run-group-a", steps: 2), second = try Self.plan("run-group-b", steps: 1)
                try await ledger.begin([first, second], at: Self.date(1))
                log.expect(try await ledger.unfinishedRuns().map(\.plan.requestID) == ["run-group-a", "run-group-b"], name,
                           "the group's runs were not both begun, in order")
                try await ledger.markDone([(run: "run-group-a", step: first.steps[0]), (run: "run-group-b", step: second.steps[0])],
                                          at: Self.date(2))
                let doneA = try await ledger.unfinishedRun("run-group-a")?.done, doneB = try await ledger.unfinishedRun("run-group-b")?.done
                log.expect(doneA == [0] && doneB == [0], name, "the group's marks were not both stored")
                // The second change names a step run-group-b does not have: the whole write is refused.
                log.expect(try await Self.refused(ledger) {
                    try await ledger.markDone([(run: "run-group-a", step: first.steps[1]), (run: "run-group-b", step: first.steps[1])],
                                              at: Self.date(3))
                }, name, "a grouped write with a refused change was not refused, or wrote to the audit log")
                log.expect(try await ledger.unfinishedRun("run-group-a")?.done == [0], name,
                           "a grouped write stored its first change although the second was refused")
                let third = try Self.plan("run-group-c", steps: 1)
                log.expect(try await Self.refused(ledger) { try await ledger.begin([third, first], at: Self.date(4)) }, name,
                           "a grouped begin naming a run already begun was not refused")
                log.expect(try await ledger.runStatus("run-group-c") == nil, name, "a refused grouped begin stored a run")
            },
        ]
    }
}
