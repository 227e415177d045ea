package views

import (
	"strconv"

	"cftriage/cloudflare"
)

// ASNPage is the pane an ASN lookup opens: the ASN's announced subnets.
type ASNPage struct {
	ASN     int
	Subnets *cloudflare.ASNSubnets
	Loading bool
	Err     string
	List    Table // the subnets
}

// RenderASN draws the ASN pane into exactly width×height.
func RenderASN(p ASNPage, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	if p.Subnets == nil {
		return paneMessage(p.Loading, p.Err, width, height, th)
	}
	note := thousands(p.Subnets.Count) + " subnets · " + thousands(p.Subnets.IPCountTotal) + " addresses"
	lines := []string{sectionTitle("AS"+strconv.Itoa(p.ASN), note, width, th), ""}
	lines = append(lines, splitLines(p.List.Render(width, height-len(lines), th))...)
	return block(lines, width, height)
}
