import ArgumentParser
import CallCenterExample
import DSARKit
import Foundation

extension BenchCommand {
    /// The scale data set's schema for PostgreSQL (tables, then the indexes DSARKit's lookups
    /// use), so `Benchmarks/postgres.sh` can load the SQLite data set into a server.
    struct PostgresSchema: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "postgres-schema", abstract: "Print the data set's tables (--part tables) or indexes (--part indexes) for PostgreSQL.")

        @Option(help: "The PostgreSQL schema to create them in.") var schema = "bench"
        @Option(help: "tables or indexes.") var part = "tables"

        func run() throws {
            switch part {
            case "tables":
                print("""
                    CREATE SCHEMA \(schema);
                    CREATE TABLE \(schema).customers (id bigint PRIMARY KEY, first_name text NOT NULL, last_name text NOT NULL,
                      email text, mobile text, city text, created_at text NOT NULL);
                    CREATE TABLE \(schema).recording_consents (id bigint PRIMARY KEY, customer_id bigint NOT NULL, given_at text NOT NULL,
                      withdrawn_at text, channel text NOT NULL);
                    CREATE TABLE \(schema).calls (id bigint PRIMARY KEY, customer_id bigint, caller_number text, started_at text NOT NULL,
                      duration_s bigint NOT NULL, reason text, agent_notes text);
                    CREATE TABLE \(schema).recordings (id bigint PRIMARY KEY, call_id bigint NOT NULL, path text NOT NULL, basis text NOT NULL,
                      duration_s bigint NOT NULL, legal_hold_until text);
                    """)
            case "indexes":
                // The same indexes as the SQLite data set, the folded email in PostgreSQL's spelling.
                print("""
                    CREATE INDEX customers_email_folded ON \(schema).customers ((\(EmailFolding.postgresExpression("email"))));
                    CREATE INDEX customers_email ON \(schema).customers (email);
                    CREATE INDEX customers_mobile ON \(schema).customers (mobile);
                    CREATE INDEX calls_customer_id ON \(schema).calls (customer_id);
                    CREATE INDEX calls_caller_number ON \(schema).calls (caller_number);
                    CREATE INDEX recording_consents_customer_id ON \(schema).recording_consents (customer_id);
                    CREATE INDEX recordings_call_id ON \(schema).recordings (call_id);
                    CREATE INDEX recordings_path ON \(schema).recordings (path);
                    ANALYZE;
                    """)
            default:
                throw ValidationError("--part is tables or indexes")
            }
        }
    }
}
