package cli

func caseCommand() *command {
	return &command{name: "case", usage: "case", desc: "Cases.", sub: map[string]*command{}}
}
