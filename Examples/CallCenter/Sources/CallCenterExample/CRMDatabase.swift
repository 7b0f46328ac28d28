import GRDB

/// Writes `data/crm.sqlite` from the model.
enum CRMDatabase {
    static let schema = """
        CREATE TABLE customers (
            id INTEGER PRIMARY KEY,
            first_name TEXT NOT NULL,
            last_name TEXT NOT NULL,
            email TEXT,
            mobile TEXT,
            city TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE recording_consents (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            given_at TEXT NOT NULL,
            withdrawn_at TEXT,
            channel TEXT NOT NULL CHECK (channel IN ('ivr','agent_script'))
        );
        CREATE TABLE calls (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER REFERENCES customers(id),
            caller_number TEXT,
            started_at TEXT NOT NULL,
            duration_s INTEGER NOT NULL,
            reason TEXT,
            agent_notes TEXT
        );
        CREATE TABLE recordings (
            id INTEGER PRIMARY KEY,
            call_id INTEGER NOT NULL REFERENCES calls(id),
            path TEXT NOT NULL,
            basis TEXT NOT NULL CHECK (basis IN ('consent','legitimate_interest','legal_obligation')),
            duration_s INTEGER NOT NULL,
            legal_hold_until TEXT
        );
        CREATE INDEX customers_email_ci ON customers(lower(trim(email, char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279))));
        CREATE INDEX customers_email ON customers(email);
        CREATE INDEX customers_mobile ON customers(mobile);
        CREATE INDEX calls_customer_id ON calls(customer_id);
        CREATE INDEX calls_caller_number ON calls(caller_number);
        CREATE INDEX recording_consents_customer_id ON recording_consents(customer_id);
        CREATE INDEX recordings_call_id ON recordings(call_id);
        CREATE INDEX recordings_path ON recordings(path);
        """

    static func write(_ model: CallCenterModel, to path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: schema)
            for c in model.customers {
                try db.execute(
                    sql: "INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [c.id, c.firstName, c.lastName, c.email, c.mobile, c.city, c.createdAt.iso])
            }
            for c in model.consents {
                try db.execute(
                    sql: "INSERT INTO recording_consents VALUES (?, ?, ?, ?, ?)",
                    arguments: [c.id, c.customerID, c.givenAt.iso, c.withdrawnAt?.iso, c.channel])
            }
            for c in model.calls {
                try db.execute(
                    sql: "INSERT INTO calls VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [c.id, c.customerID, c.callerNumber, c.startedAt.iso, c.durationS, c.reason, c.agentNotes])
            }
            for r in model.recordings {
                try db.execute(
                    sql: "INSERT INTO recordings VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [r.id, r.callID, r.path, r.basis, r.durationS, r.legalHoldUntil])
            }
        }
        try queue.close()
    }
}
