-- Where a leaver went (CSWW LeaverDestination), on a spell that ends in leaving.
ALTER TABLE spell ADD COLUMN leaver_destination INTEGER;
