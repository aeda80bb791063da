// Package api is sitematch's wire layer: the JSON shapes of CONTRACT.md
// (requests decoded with a path for every bad field, responses built from
// the domain types of package matching), and the Echo v4 HTTP server that
// serves them. Nothing else imports Echo; the domain packages carry no JSON
// tags.
package api
