-- The tables of Chatwoot (github.com/chatwoot/chatwoot, db/schema.rb) that hold a contact's
-- data, with Chatwoot's own column names, types, defaults and the indexes that matter here.
-- Columns a data-subject request never reads are left out of the wider tables; nothing is
-- renamed or retyped. PostgreSQL 13 or later. Every statement ends with ';' at the end of a line.
CREATE TABLE accounts (
  id serial PRIMARY KEY,
  name varchar NOT NULL,
  created_at timestamp NOT NULL,
  updated_at timestamp NOT NULL,
  locale integer DEFAULT 0,
  domain varchar(100),
  support_email varchar(100),
  custom_attributes jsonb DEFAULT '{}',
  status integer DEFAULT 0
);
CREATE TABLE users (
  id serial PRIMARY KEY,
  provider varchar DEFAULT 'email' NOT NULL,
  uid varchar DEFAULT '' NOT NULL,
  encrypted_password varchar DEFAULT '' NOT NULL,
  name varchar NOT NULL,
  display_name varchar,
  email varchar,
  created_at timestamp NOT NULL,
  updated_at timestamp NOT NULL,
  availability integer DEFAULT 0,
  ui_settings jsonb DEFAULT '{}',
  custom_attributes jsonb DEFAULT '{}',
  type varchar,
  message_signature text
);
CREATE INDEX index_users_on_email ON users (email);
CREATE TABLE inboxes (
  id serial PRIMARY KEY,
  channel_id integer NOT NULL,
  account_id integer NOT NULL,
  name varchar NOT NULL,
  created_at timestamp NOT NULL,
  updated_at timestamp NOT NULL,
  channel_type varchar
);
CREATE TABLE contacts (
  id serial PRIMARY KEY,
  name varchar DEFAULT '',
  email varchar,
  phone_number varchar,
  account_id integer NOT NULL,
  created_at timestamp NOT NULL,
  updated_at timestamp NOT NULL,
  additional_attributes jsonb DEFAULT '{}',
  identifier varchar,
  custom_attributes jsonb DEFAULT '{}',
  last_activity_at timestamp,
  contact_type integer DEFAULT 0,
  middle_name varchar DEFAULT '',
  last_name varchar DEFAULT '',
  location varchar DEFAULT '',
  country_code varchar DEFAULT '',
  blocked boolean DEFAULT false NOT NULL
);
CREATE INDEX index_contacts_on_lower_email_account_id ON contacts (lower((email)::text), account_id);
CREATE UNIQUE INDEX uniq_email_per_account_contact ON contacts (email, account_id);
CREATE INDEX index_contacts_on_phone_number_and_account_id ON contacts (phone_number, account_id);
CREATE TABLE contact_inboxes (
  id bigserial PRIMARY KEY,
  contact_id bigint,
  inbox_id bigint,
  source_id varchar NOT NULL,
  created_at timestamp NOT NULL,
  updated_at timestamp NOT NULL,
  hmac_verified boolean DEFAULT false,
  pubsub_token varchar
);
CREATE INDEX index_contact_inboxes_on_contact_id ON contact_inboxes (contact_id);
CREATE TABLE conversations (
  id serial PRIMARY KEY,
  account_id integer NOT NULL,
  inbox_id integer NOT NULL,
  status integer DEFAULT 0 NOT NULL,
  assignee_id integer,
  created_at timestamp NOT NULL,
  updated_at timestamp NOT NULL,
  contact_id bigint,
  display_id integer NOT NULL,
  additional_attributes jsonb DEFAULT '{}',
  contact_inbox_id bigint,
  uuid uuid DEFAULT gen_random_uuid() NOT NULL,
  custom_attributes jsonb DEFAULT '{}'
);
CREATE INDEX index_conversations_on_contact_id ON conversations (contact_id);
CREATE INDEX index_conversations_on_contact_inbox_id ON conversations (contact_inbox_id);
CREATE INDEX index_conversations_on_assignee_id_and_account_id ON conversations (assignee_id, account_id);
CREATE TABLE messages (
  id serial PRIMARY KEY,
  content text,
  account_id integer NOT NULL,
  inbox_id integer NOT NULL,
  conversation_id integer NOT NULL,
  message_type integer NOT NULL,
  created_at timestamp NOT NULL,
  updated_at timestamp NOT NULL,
  private boolean DEFAULT false NOT NULL,
  status integer DEFAULT 0,
  source_id varchar,
  content_type integer DEFAULT 0 NOT NULL,
  content_attributes json DEFAULT '{}',
  sender_type varchar,
  sender_id bigint,
  additional_attributes jsonb DEFAULT '{}'
);
CREATE INDEX index_messages_on_conversation_id ON messages (conversation_id);
CREATE INDEX index_messages_on_sender_type_and_sender_id ON messages (sender_type, sender_id);
CREATE TABLE attachments (
  id serial PRIMARY KEY,
  file_type integer DEFAULT 0,
  external_url varchar,
  coordinates_lat double precision DEFAULT 0.0,
  coordinates_long double precision DEFAULT 0.0,
  message_id integer NOT NULL,
  account_id integer NOT NULL,
  created_at timestamp NOT NULL,
  updated_at timestamp NOT NULL,
  fallback_title varchar,
  extension varchar,
  meta jsonb DEFAULT '{}'
);
CREATE INDEX index_attachments_on_message_id ON attachments (message_id);
CREATE TABLE notes (
  id bigserial PRIMARY KEY,
  content text NOT NULL,
  account_id bigint NOT NULL,
  contact_id bigint NOT NULL,
  user_id bigint,
  created_at timestamp NOT NULL,
  updated_at timestamp NOT NULL
);
CREATE INDEX index_notes_on_contact_id ON notes (contact_id);
CREATE TABLE active_storage_blobs (
  id bigserial PRIMARY KEY,
  key varchar NOT NULL,
  filename varchar NOT NULL,
  content_type varchar,
  metadata text,
  byte_size bigint NOT NULL,
  checksum varchar,
  created_at timestamp NOT NULL,
  service_name varchar NOT NULL
);
CREATE UNIQUE INDEX index_active_storage_blobs_on_key ON active_storage_blobs (key);
CREATE TABLE active_storage_attachments (
  id bigserial PRIMARY KEY,
  name varchar NOT NULL,
  record_type varchar NOT NULL,
  record_id bigint NOT NULL,
  blob_id bigint NOT NULL REFERENCES active_storage_blobs (id),
  created_at timestamp NOT NULL
);
CREATE INDEX index_active_storage_attachments_on_blob_id ON active_storage_attachments (blob_id);
CREATE UNIQUE INDEX index_active_storage_attachments_uniqueness ON active_storage_attachments (record_type, record_id, name, blob_id);
