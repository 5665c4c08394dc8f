-- The service each team belongs to (a department's larger units), for
-- figures by service. Teams are named as the data names them.
CREATE TABLE team_service (
    team TEXT PRIMARY KEY,
    service TEXT NOT NULL
);
