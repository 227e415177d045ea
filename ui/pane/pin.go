package pane

import "cftriage/cloudflare"

// Pin is what a page shows, as the active case keeps it: the kind and
// indicator (actions.KindIP, ...) and the answers on screen, exactly as
// they were received.
type Pin struct {
	Kind, Indicator string
	Answers         []*cloudflare.Exchange
}

// Pinner is a page whose answers can be pinned to the active case (the
// global c key asks the page on top). Why says why nothing can be
// pinned right now ("still loading"); it is "" when Pin is usable.
type Pinner interface {
	Pin() (p Pin, why string)
}
