package wire

import (
	"encoding/json"

	"sitematch/data/store"
)

// ChangeJSON is one entry of a site's history.
type ChangeJSON struct {
	Seq     int64           `json:"seq"`
	Version int64           `json:"version"`
	At      string          `json:"at"`
	Who     string          `json:"who"`
	Verb    string          `json:"verb"`
	Changed []string        `json:"changed"`
	Before  json.RawMessage `json:"before"`
	After   json.RawMessage `json:"after"`
}

// HistoryResponse is the answer of GET /v1/sites/{id}/history: every
// change, oldest first.
type HistoryResponse struct {
	ID      string       `json:"id"`
	Changes []ChangeJSON `json:"changes"`
}

// NewHistoryResponse converts a site's history for the wire.
func NewHistoryResponse(id string, changes []store.Change) HistoryResponse {
	out := HistoryResponse{ID: id, Changes: make([]ChangeJSON, len(changes))}
	for i, ch := range changes {
		out.Changes[i] = ChangeJSON{Seq: ch.Seq, Version: ch.Version, At: ch.At.UTC().Format("2006-01-02T15:04:05.000Z"),
			Who: ch.Who, Verb: ch.Verb, Changed: NonNil(ch.Changed), Before: ch.Before, After: ch.After}
	}
	return out
}
