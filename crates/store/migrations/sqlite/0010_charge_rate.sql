-- What the agency charges an hour, on an agency spell whose source records it.
ALTER TABLE spell ADD COLUMN charge_rate REAL;
