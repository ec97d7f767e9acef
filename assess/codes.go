package assess

// The codes of the result (docs/rules.md, "Rules" and "Output"). Like the
// question ids they are a public contract: never renamed, never reused.
const (
	VerdictNotEligible = "not_eligible"
	VerdictIncomplete  = "incomplete"
	VerdictPrepare     = "prepare"
	VerdictReady       = "ready"

	BlockerAuditBody               = "audit_body"
	BlockerNoEnterpriseNumber      = "no_enterprise_number"
	BlockerInvalidEnterpriseNumber = "invalid_enterprise_number"
	BlockerNoSEPAAccount           = "no_sepa_account"
	BlockerInvalidIBAN             = "invalid_iban"
	BlockerNoService               = "no_service"
	BlockerNoSubsidisedService     = "no_subsidised_service"
	BlockerNoTheme                 = "no_theme"

	WarningAdviceNotSubsidised     = "advice_not_subsidised"
	WarningAdviceCybersecurityOnly = "advice_cybersecurity_only"
	WarningIntegrityReview         = "integrity_review"
	WarningWSEUnconfirmed          = "wse_unconfirmed"

	TrackStarter  = "starter"
	TrackStandard = "standard"

	RequirementActivity     = "activity"
	RequirementExperience   = "experience"
	RequirementSatisfaction = "satisfaction"
	RequirementKnowledge    = "knowledge"
	RequirementIntegrity    = "integrity"

	StatusReady         = "ready"
	StatusPartly        = "partly"
	StatusNotReady      = "not_ready"
	StatusUnknown       = "unknown"
	StatusExemptStarter = "exempt_starter"

	ExemptionISO9001 = "iso9001"
	ExemptionQfor    = "qfor"
	ExemptionWSE     = "wse"
	ExemptionITAA    = "itaa"
	ExemptionIBR     = "ibr"

	StepGetUserRight        = "get_user_right"
	StepRegisterOnline      = "register_online"
	StepSignDeclaration     = "sign_declaration"
	StepPrepareRequirements = "prepare_requirements"
	StepRequestAudit        = "request_audit"
)

// Every code Evaluate can produce, in the order it produces them, for the
// check that each has words in every language and for the questionnaire.
// They are copies for reading: Evaluate does not consult them.
var (
	Verdicts = []string{VerdictNotEligible, VerdictIncomplete, VerdictPrepare, VerdictReady}
	Blockers = []string{
		BlockerAuditBody, BlockerNoEnterpriseNumber, BlockerInvalidEnterpriseNumber,
		BlockerNoSEPAAccount, BlockerInvalidIBAN, BlockerNoService, BlockerNoSubsidisedService,
		BlockerNoTheme,
	}
	Warnings = []string{
		WarningAdviceNotSubsidised, WarningAdviceCybersecurityOnly, WarningIntegrityReview,
		WarningWSEUnconfirmed,
	}
	Tracks         = []string{TrackStarter, TrackStandard}
	RequirementIDs = []string{
		RequirementActivity, RequirementExperience, RequirementSatisfaction,
		RequirementKnowledge, RequirementIntegrity,
	}
	Statuses   = []string{StatusReady, StatusPartly, StatusNotReady, StatusUnknown, StatusExemptStarter}
	Exemptions = []string{ExemptionISO9001, ExemptionQfor, ExemptionWSE, ExemptionITAA, ExemptionIBR}
	Steps      = []string{
		StepGetUserRight, StepRegisterOnline, StepSignDeclaration,
		StepPrepareRequirements, StepRequestAudit,
	}
)
