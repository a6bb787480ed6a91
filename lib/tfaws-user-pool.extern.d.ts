export default interface extern {
  defaultPasswordPolicy: () => CognitoUserPoolPasswordPolicy,
  userPoolSchema: (usernameAttributes: (readonly (string)[]), schema?: (Readonly<any>) | undefined) => (readonly (CognitoUserPoolSchema)[]),
}
export interface CognitoUserPoolPasswordPolicy {
  /** Docs at Terraform Registry: [CognitoUserPool#minimum_length](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#minimum_length). */
  readonly minimumLength?: (number) | undefined;
  /** Docs at Terraform Registry: [CognitoUserPool#require_lowercase](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#require_lowercase). */
  readonly requireLowercase?: (any) | undefined;
  /** Docs at Terraform Registry: [CognitoUserPool#require_numbers](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#require_numbers). */
  readonly requireNumbers?: (any) | undefined;
  /** Docs at Terraform Registry: [CognitoUserPool#require_symbols](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#require_symbols). */
  readonly requireSymbols?: (any) | undefined;
  /** Docs at Terraform Registry: [CognitoUserPool#require_uppercase](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#require_uppercase). */
  readonly requireUppercase?: (any) | undefined;
  /** Docs at Terraform Registry: [CognitoUserPool#temporary_password_validity_days](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#temporary_password_validity_days). */
  readonly temporaryPasswordValidityDays?: (number) | undefined;
}
export interface CognitoUserPoolSchemaNumberAttributeConstraints {
  /** Docs at Terraform Registry: [CognitoUserPool#max_value](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#max_value). */
  readonly maxValue?: (string) | undefined;
  /** Docs at Terraform Registry: [CognitoUserPool#min_value](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#min_value). */
  readonly minValue?: (string) | undefined;
}
export interface CognitoUserPoolSchemaStringAttributeConstraints {
  /** Docs at Terraform Registry: [CognitoUserPool#max_length](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#max_length). */
  readonly maxLength?: (string) | undefined;
  /** Docs at Terraform Registry: [CognitoUserPool#min_length](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#min_length). */
  readonly minLength?: (string) | undefined;
}
export interface CognitoUserPoolSchema {
  /** Docs at Terraform Registry: [CognitoUserPool#attribute_data_type](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#attribute_data_type). */
  readonly attributeDataType: string;
  /** Docs at Terraform Registry: [CognitoUserPool#developer_only_attribute](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#developer_only_attribute). */
  readonly developerOnlyAttribute?: (any) | undefined;
  /** Docs at Terraform Registry: [CognitoUserPool#mutable](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#mutable). */
  readonly mutable?: (any) | undefined;
  /** Docs at Terraform Registry: [CognitoUserPool#name](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#name). */
  readonly name: string;
  /** number_attribute_constraints block.
  Docs at Terraform Registry: {@link https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#number_attribute_constraints CognitoUserPool#number_attribute_constraints} */
  readonly numberAttributeConstraints?: (CognitoUserPoolSchemaNumberAttributeConstraints) | undefined;
  /** Docs at Terraform Registry: [CognitoUserPool#required](https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#required). */
  readonly required?: (any) | undefined;
  /** string_attribute_constraints block.
  Docs at Terraform Registry: {@link https://registry.terraform.io/providers/hashicorp/aws/5.40.0/docs/resources/cognito_user_pool#string_attribute_constraints CognitoUserPool#string_attribute_constraints} */
  readonly stringAttributeConstraints?: (CognitoUserPoolSchemaStringAttributeConstraints) | undefined;
}