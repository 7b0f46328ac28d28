import DSARKit
import Testing

@Suite("Request deadlines")
struct DeadlineTests {
    private func day(_ text: String) -> CalendarDay { CalendarDay(text)! }

    @Test("Due one calendar month after receipt; a month-end day falls on the shorter month's last day",
          arguments: [("2026-01-15", "2026-02-15"), ("2026-01-31", "2026-02-28"), ("2028-01-31", "2028-02-29"),
                      ("2026-03-31", "2026-04-30"), ("2026-02-28", "2026-03-28"), ("2026-12-31", "2027-01-31"),
                      ("2026-08-31", "2026-09-30"), ("2100-01-29", "2100-02-28"), ("2000-01-30", "2000-02-29")])
    func due(received: String, due: String) {
        #expect(Deadline(received: day(received)).due == day(due))
    }

    @Test("Leap years: divisible by 4, but not by 100 unless by 400")
    func leapYears() {
        #expect(CalendarDay(year: 2028, month: 2, day: 29) != nil)
        #expect(CalendarDay(year: 2026, month: 2, day: 29) == nil)
        #expect(CalendarDay(year: 2100, month: 2, day: 29) == nil)
        #expect(CalendarDay(year: 2000, month: 2, day: 29) != nil)
        #expect(CalendarDay("2026-02-30") == nil && CalendarDay("2026-13-01") == nil && CalendarDay("26-01-01") == nil)
        #expect(day("2028-02-29").adding(months: 12) == day("2029-02-28"))
    }

    @Test("Days left count calendar days, across month and year ends")
    func daysLeft() {
        let deadline = Deadline(received: day("2026-12-31"))
        #expect(deadline.daysLeft(on: day("2026-12-31")) == 31)
        #expect(deadline.daysLeft(on: day("2027-01-31")) == 0)
        #expect(!deadline.isOverdue(on: day("2027-01-31")))
        #expect(deadline.daysLeft(on: day("2027-02-02")) == -2)
        #expect(deadline.isOverdue(on: day("2027-02-01")))
        #expect(day("2028-02-28").days(until: day("2028-03-01")) == 2)
        #expect(day("2027-02-28").days(until: day("2027-03-01")) == 1)
    }

    @Test("Extensions: 1 or 2 months, decided within the first month, 3 months in all at most, counted from receipt")
    func extensions() throws {
        let deadline = Deadline(received: day("2026-01-31"))
        let once = try deadline.extended(by: 1, on: day("2026-02-10"))
        #expect(once.due == day("2026-03-31"))
        let twice = try once.extended(by: 1, on: day("2026-02-28"))
        #expect(twice.due == day("2026-04-30"))
        #expect(try deadline.extended(by: 2, on: day("2026-02-28")).due == day("2026-04-30"))
        #expect(throws: DSARError.self) { try twice.extended(by: 1, on: day("2026-02-20")) }
        #expect(throws: DSARError.self) { try once.extended(by: 2, on: day("2026-02-20")) }
        #expect(throws: DSARError.self) { try deadline.extended(by: 3, on: day("2026-02-01")) }
        #expect(throws: DSARError.self) { try deadline.extended(by: 0, on: day("2026-02-01")) }
        // The first month ended on 28 February: from 1 March on, no extension.
        #expect(throws: DSARError.self) { try deadline.extended(by: 1, on: day("2026-03-01")) }
        // A leap year's first month ends on 29 February.
        #expect(try Deadline(received: day("2028-01-31")).extended(by: 2, on: day("2028-02-29")).due == day("2028-04-30"))
    }
}
